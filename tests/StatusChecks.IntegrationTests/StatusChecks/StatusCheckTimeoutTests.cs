using System.Diagnostics;
using System.Net;

namespace StatusChecks.IntegrationTests.StatusChecks;

/// <summary>
/// A second local host on the shared Azurite with a 2-second pending timeout. Data is arranged through the main
/// host (same storage); statuses are read through the second one, which evaluates the timeout.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusCheckTimeoutTests(ServiceFixture service) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly GitLabApi api = new(service.Host);
    private LocalHostInstance? fastHost;

    public async Task InitializeAsync() =>
        fastHost = await LocalHostInstance.StartAsync(
            service.Azurite.ConnectionString,
            new Dictionary<string, string?> { ["StatusChecks__PendingTimeout"] = "00:00:02" });

    public async Task DisposeAsync()
    {
        if (fastHost is not null)
        {
            await fastHost.DisposeAsync();
        }
    }

    [Fact]
    public async Task Pending_LongerThanTimeout_ReportsFailed_RetryRestartsTheWait_ResponseEndsIt()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        using var fast = fastHost!.CreateClient(fastHost.AdminToken);

        var sinceOpened = Stopwatch.StartNew(); // started before the MR exists: an upper bound of how long it has waited
        var (iid, sha) = await project.MergeRequestAsync();
        var retryPath = $"{project.MergeRequestPath(iid)}/status_checks/{checkId}/retry";
        await AssertPendingThenFailedAsync(project, iid, checkId, fast, sinceOpened);
        Assert.Equal("pending", (await project.StatusesAsync(iid))[checkId]); // the main host's timeout is 2 minutes

        var sinceRetry = Stopwatch.StartNew();
        await GitLabApi.SendAsync(fast, HttpMethod.Post, retryPath, null, HttpStatusCode.Accepted);
        await AssertPendingThenFailedAsync(project, iid, checkId, fast, sinceRetry);

        await GitLabApi.SendAsync(fast, HttpMethod.Post, retryPath, null, HttpStatusCode.Accepted);
        await project.RespondAsync(iid, sha, checkId, "passed");
        await Task.Delay(Timeout + TimeSpan.FromSeconds(1));
        Assert.Equal("passed", (await project.StatusesAsync(iid, fast))[checkId]); // a response never times out
    }

    /// <summary>Pending while less than the timeout can have passed, failed once it has (and never earlier).</summary>
    private static async Task AssertPendingThenFailedAsync(StatusCheckProject project, long iid, long checkId, HttpClient fast, Stopwatch waited)
    {
        var first = (await project.StatusesAsync(iid, fast))[checkId];
        if (waited.Elapsed < Timeout)
        {
            Assert.Equal("pending", first);
        }

        await Eventually.GetAsync(
            async () => (await project.StatusesAsync(iid, fast))[checkId] == "failed" ? "failed" : null,
            TimeSpan.FromSeconds(15),
            "the pending check to time out");
        Assert.True(waited.Elapsed >= Timeout, $"failed after only {waited.Elapsed}");
    }
}
