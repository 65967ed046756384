using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Platform;

/// <summary>
/// Issue 11: the hot routes answer in a few storage round trips on a warm instance (tokens, projects and memberships
/// already read once). Counted by the worker's pipeline policy (<c>X-StatusChecks-Storage-Round-Trips</c>: calls the
/// request waited for in sequence; <c>X-StatusChecks-Storage-Calls</c>: all of them), so the figures are exact, not timed.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class StorageRoundTripTests(ServiceFixture service, ITestOutputHelper output)
{
    private const int Checks = 20;
    private readonly GitLabApi api = new(service.Host);

    [Fact]
    public async Task MergeRequestStatusChecks_WarmInstance_AtMostThreeRoundTrips()
    {
        var (project, iid, sha, checkIds) = await ArrangeAsync();
        await project.RespondAsync(iid, sha, checkIds[0]);
        var path = project.MergeRequestPath(iid) + "/status_checks?per_page=100";
        await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Get, path); // warm: token, membership

        var (roundTrips, calls) = Count(await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Get, path), HttpStatusCode.OK, "GET status_checks");

        // The MR with the project's checks and branches, then the MR's statuses at its HEAD: 2 round trips, 4 calls.
        Assert.InRange(roundTrips, 1, 3);
        Assert.InRange(calls, roundTrips, 4);
    }

    [Theory]
    [InlineData(1, 2, 3)] // a check for every branch: the MR and the check together, then one transaction
    [InlineData(0, 2, 4)] // a check on a protected branch: its branches are read beside the transaction
    public async Task StatusCheckResponse_WarmInstance_AtMostFourRoundTrips(int checkIndex, int expectedRoundTrips, int expectedCalls)
    {
        var (project, iid, sha, checkIds) = await ArrangeAsync();
        await project.RespondAsync(iid, sha, checkIds[0]); // warm

        var response = await GitLabApi.CallAsync(
            project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses", new { sha, external_status_check_id = checkIds[checkIndex], status = "passed" });
        var (roundTrips, calls) = Count(response, HttpStatusCode.Created, "POST status_check_responses");

        // One more of each when the response takes the last id of its process's block.
        Assert.InRange(roundTrips, expectedRoundTrips, expectedRoundTrips + 1);
        Assert.InRange(calls, expectedCalls, expectedCalls + 1);
        Assert.InRange(roundTrips, 1, 4);
    }

    [Fact]
    public async Task ProjectStatusChecks_WarmInstance_AtMostTwoRoundTrips()
    {
        var (project, _, _, _) = await ArrangeAsync();
        await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath); // warm

        var (roundTrips, calls) = Count(await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath + "?per_page=100"), HttpStatusCode.OK, "GET external_status_checks");

        // The page, its total and the branches together: 1 round trip, 3 calls.
        Assert.InRange(roundTrips, 1, 2);
        Assert.InRange(calls, roundTrips, 3);
    }

    private async Task<(StatusCheckProject Project, long Iid, string Sha, List<long> CheckIds)> ArrangeAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var branch = await project.ProtectedBranchAsync("main");
        var checkIds = new List<long>();
        for (var i = 0; i < Checks; i++)
        {
            checkIds.Add(await project.CheckIdAsync(i % 2 == 0 ? [branch] : null));
        }

        var (iid, sha) = await project.MergeRequestAsync();
        return (project, iid, sha, checkIds);
    }

    private (int RoundTrips, int Calls) Count(ApiResponse response, HttpStatusCode expected, string route)
    {
        RouteKit.AssertOutcome(response, expected);
        var roundTrips = int.Parse(response.Header("X-StatusChecks-Storage-Round-Trips"), CultureInfo.InvariantCulture);
        var calls = int.Parse(response.Header("X-StatusChecks-Storage-Calls"), CultureInfo.InvariantCulture);
        output.WriteLine($"{route}: {roundTrips} sequential round trips, {calls} storage calls");
        return (roundTrips, calls);
    }
}
