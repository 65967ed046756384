using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Services;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>The domain publishes each event BEFORE the write it describes, with the revision that write creates.</summary>
public sealed class PublishBeforeWriteTests
{
    private readonly Harness h = new();
    private readonly List<string> steps = [];

    public PublishBeforeWriteTests() =>
        h.Events.Setup(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEvent, CancellationToken>((ev, _) => steps.Add($"publish {ev.Kind} r{ev.Revision}"))
            .Returns(Task.CompletedTask);

    [Fact]
    public async Task UpdateAsync_NewSha_PublishesRevisionThenWritesIt()
    {
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEntity, CancellationToken>((m, _) => steps.Add($"write r{m.Revision} notified r{m.NotifiedRevision}"))
            .ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Sha: Sha.B));

        Assert.Equal(["publish Updated r1", "write r1 notified r1"], steps);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.EventId == EventIds.ForRevision(501, 1)), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task MergeAsync_PublishesMergedRevisionThenWritesIt()
    {
        h.GivenMergeRequest();
        // The merge writes through MergeAsync (with the statuses it read; issue 12 item 4).
        h.MergeRequests.Setup(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEntity, MergeRequestStatuses, CancellationToken>((m, _, _) => steps.Add($"write r{m.Revision} notified r{m.NotifiedRevision}"))
            .ReturnsAsync((MergeRequestEntity m, MergeRequestStatuses _, CancellationToken _) => m);

        await h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, null);

        Assert.Equal(["publish Merged r1", "write r1 notified r1"], steps);
    }

    [Fact]
    public async Task UpdateAsync_Close_PublishesClosedRevisionThenWritesIt()
    {
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEntity, CancellationToken>((m, _) => steps.Add($"write r{m.Revision} notified r{m.NotifiedRevision}"))
            .ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(StateEvent: "close"));

        Assert.Equal(["publish Closed r1", "write r1 notified r1"], steps);
    }

    [Fact]
    public async Task UpdateAsync_LostRace_PublishesTheRetriedWriteUnderItsOwnRevision()
    {
        var stored = h.GivenMergeRequest();
        var writes = 0;
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()))
            .Returns((MergeRequestEntity m, CancellationToken _) =>
            {
                if (++writes == 1)
                {
                    // Someone else wrote revision 1 (a title change) first.
                    h.MergeRequests.Setup(s => s.GetAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(stored with { Revision = 1, Title = "Other" });
                    throw new ConcurrencyException();
                }

                return Task.FromResult(m);
            });

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Sha: Sha.B));

        Assert.Equal(["publish Updated r1", "publish Updated r2"], steps);
    }

    [Fact]
    public async Task UpdateAsync_PublishFails_NothingWritten()
    {
        h.GivenMergeRequest();
        h.Events.Setup(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "down"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Sha: Sha.B)));

        h.MergeRequests.Verify(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RetryAsync_PublishesBeforeTheReset()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.GivenLatestResponse(1, 10, Sha.A, CheckStatuses.Failed, Harness.Now.AddSeconds(1));
        h.Responses.Setup(r => r.ResetAsync(7, 1, It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("reset"))
            .Returns(Task.CompletedTask);

        await h.StatusChecks().RetryAsync(Caller.Admin, ProjectRef.ById(7), 1, 10);

        Assert.Equal(["publish RetryRequested r0", "reset"], steps);
    }

    [Fact]
    public async Task CreateCheck_PublishesForOpenMergeRequestsBeforeTheCheckIsStored()
    {
        var open = h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.ListOpenAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync([open]);
        h.Checks.Setup(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("write check"))
            .Returns(Task.CompletedTask);

        await h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/", null, []));

        Assert.Equal(["publish CheckApplied r0", "write check"], steps);
    }

    [Fact]
    public void Apply_EveryWriteIsANewRevisionAndOnlyNotifyingOnesMoveNotifiedRevision()
    {
        var current = new MergeRequestEntity { State = MergeRequestStates.Opened, Sha = Sha.A, TargetBranch = "main", Revision = 4, NotifiedRevision = 2 };

        var titled = MergeRequestService.Apply(current, "Title", null, null, null, Harness.Now);
        var pushed = MergeRequestService.Apply(titled, null, null, Sha.B, null, Harness.Now);
        var unchanged = MergeRequestService.Apply(pushed, "Title", "main", Sha.B, "reopen", Harness.Now);
        var closed = MergeRequestService.Apply(unchanged, null, null, null, "close", Harness.Now);
        var closedAgain = MergeRequestService.Apply(closed, null, null, null, "close", Harness.Now);

        Assert.Equal(
            [(5L, 5L), (6L, 6L), (7L, 6L), (8L, 8L), (9L, 8L)],
            new[] { titled, pushed, unchanged, closed, closedAgain }.Select(m => (m.Revision, m.NotifiedRevision)));
    }
}
