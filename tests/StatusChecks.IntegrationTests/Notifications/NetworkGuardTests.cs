
namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// The SSRF guard as deployed (AllowPrivateNetworks off): a host of its own, on its own Azurite, so no other host
/// picks up its deliveries.
/// </summary>
public sealed class NetworkGuardTests : IsolatedService
{
    protected override IReadOnlyDictionary<string, string?> Settings => NotificationsFixture.NotificationSettings(allowPrivateNetworks: false);

    [Fact]
    public async Task GuardOn_LoopbackTargets_RefusedOnceAndRecordedFailedWithTheReason_NothingReachesThem()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(new GitLabApi(Host));
        var byAddress = await project.CheckIdAsync(url: sink.Url);
        var byName = await project.CheckIdAsync(url: sink.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        foreach (var checkId in new[] { byAddress, byName })
        {
            var attempt = Assert.Single(await project.WaitForDeliveriesAsync(iid, checkId, log => log.Count > 0))!;
            Assert.Equal("failed", (string?)attempt["status"]);
            // That the address was refused, not what the name resolved to (docs/API.md (Notifications)).
            Assert.StartsWith("Refused: the URL's address is not allowed", (string?)attempt["error"], StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", (string?)attempt["error"], StringComparison.Ordinal);
            Assert.Null(attempt["response_code"]);
        }

        // No retry of a refusal: the schedule's first retry would have come after 1 s.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await project.DeliveriesAsync(iid, byAddress));
        Assert.Empty(sink.Requests);
    }
}
