using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Tests.Storage;
using static StatusChecks.Core.Tests.Notifications.NotificationTestData;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class FanOutRulesTests
{
    [Fact]
    public void Decide_MergeRequestEvent_DeliversToTheNamedChecksThatApplyToTheTarget()
    {
        var decision = FanOutRules.Decide(Event(checkIds: [10, 11, 12, 13]), MergeRequest(), [Check(12, "release/*"), Check(11), Check(10, "main"), Check(13, "develop")]);

        Assert.Equal([10L, 11L], Assert.IsType<FanOutDecision.Deliver>(decision).Checks.Select(check => check.Entity.Id));
    }

    [Fact]
    public void Decide_CheckCreatedAfterTheEvent_NotNotifiedTwice()
    {
        var decision = FanOutRules.Decide(Event(checkIds: [10]), MergeRequest(), [Check(10), Check(11)]);

        Assert.Equal(10L, Assert.Single(Assert.IsType<FanOutDecision.Deliver>(decision).Checks).Entity.Id);
    }

    [Fact]
    public void Decide_NamedCheckDeletedSince_Dropped() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(checkIds: [10]), MergeRequest(), [Check(11)]));

    [Fact]
    public void Decide_OnlyChecksScopedToOtherBranches_Dropped() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(checkIds: [10, 11]), MergeRequest(), [Check(10, "develop"), Check(11, "release/*")]));

    [Fact]
    public void Decide_MergeRequestNotStoredYet_Waits() =>
        Assert.IsType<FanOutDecision.Wait>(FanOutRules.Decide(Event(MergeRequestEventKind.Opened, revision: 1), null, [Check(10)]));

    [Fact]
    public void Decide_RevisionNotStoredYet_Waits() =>
        Assert.IsType<FanOutDecision.Wait>(FanOutRules.Decide(Event(revision: 4), MergeRequest(revision: 3, notifiedRevision: 3), [Check(10)]));

    [Fact]
    public void Decide_LaterWriteNotifiedAgain_DroppedAsSuperseded() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(revision: 3), MergeRequest(revision: 5, notifiedRevision: 5), [Check(10)]));

    [Fact]
    public void Decide_LaterWriteOnlyChangedTheTitle_StillDelivered() =>
        Assert.IsType<FanOutDecision.Deliver>(FanOutRules.Decide(Event(revision: 3), MergeRequest(revision: 4, notifiedRevision: 3), [Check(10)]));

    [Fact]
    public void Decide_RevisionTakenByAnotherWrite_DroppedAsUncommitted() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(revision: 3), MergeRequest(revision: 3, notifiedRevision: 2), [Check(10)]));

    [Fact]
    public void Decide_IidHeldByAnotherMergeRequest_Dropped() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(MergeRequestEventKind.Opened, revision: 1), MergeRequest(1, 1) with { Id = 999 }, [Check(10)]));

    [Theory]
    [InlineData(MergeRequestEventKind.Opened, MergeRequestStates.Closed)]
    [InlineData(MergeRequestEventKind.Reopened, MergeRequestStates.Merged)]
    [InlineData(MergeRequestEventKind.RetryRequested, MergeRequestStates.Closed)]
    [InlineData(MergeRequestEventKind.CheckApplied, MergeRequestStates.Merged)]
    [InlineData(MergeRequestEventKind.Closed, MergeRequestStates.Opened)]
    [InlineData(MergeRequestEventKind.Merged, MergeRequestStates.Closed)]
    public void Decide_NotInTheStateTheEventLeavesTheMergeRequestIn_Dropped(MergeRequestEventKind kind, string state) =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(kind), MergeRequest(revision: 4) with { State = state }, [Check(10)]));

    [Theory]
    [InlineData(MergeRequestEventKind.Closed, MergeRequestStates.Closed)]
    [InlineData(MergeRequestEventKind.Merged, MergeRequestStates.Merged)]
    [InlineData(MergeRequestEventKind.Updated, MergeRequestStates.Closed)]
    [InlineData(MergeRequestEventKind.Updated, MergeRequestStates.Merged)]
    public void Decide_CloseMergeOrEditOfANotOpenMergeRequest_Delivered(MergeRequestEventKind kind, string state) =>
        Assert.IsType<FanOutDecision.Deliver>(FanOutRules.Decide(Event(kind), MergeRequest(revision: 4) with { State = state }, [Check(10)]));

    [Theory]
    [InlineData(MergeRequestEventKind.RetryRequested)]
    [InlineData(MergeRequestEventKind.CheckApplied)]
    public void Decide_CheckEventForAnOlderCommit_Dropped(MergeRequestEventKind kind) =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(kind), MergeRequest(revision: 9, notifiedRevision: 9) with { Sha = Sha.B }, [Check(10)]));

    [Theory]
    [InlineData(MergeRequestEventKind.RetryRequested)]
    [InlineData(MergeRequestEventKind.CheckApplied)]
    public void Decide_CheckEvent_DeliversOnlyTheNamedCheckWhateverTheRevision(MergeRequestEventKind kind)
    {
        var decision = FanOutRules.Decide(Event(kind, revision: 2, checkIds: [11]), MergeRequest(revision: 6, notifiedRevision: 5), [Check(10), Check(11)]);

        Assert.Equal(11L, Assert.Single(Assert.IsType<FanOutDecision.Deliver>(decision).Checks).Entity.Id);
    }

    [Fact]
    public void Decide_AppliedCheckNotStoredOrScopedYet_Waits() =>
        Assert.IsType<FanOutDecision.Wait>(FanOutRules.Decide(Event(MergeRequestEventKind.CheckApplied, checkIds: [11]), MergeRequest(), [Check(10), Check(11, "develop")]));

    [Fact]
    public void Decide_RetriedCheckDeleted_Dropped() =>
        Assert.IsType<FanOutDecision.Drop>(FanOutRules.Decide(Event(MergeRequestEventKind.RetryRequested, checkIds: [11]), MergeRequest(), [Check(10)]));
}
