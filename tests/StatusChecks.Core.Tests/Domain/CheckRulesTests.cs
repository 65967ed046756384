using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class CheckRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "Main", false)]
    [InlineData("main", "main2", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/1.0/hotfix", true)]
    [InlineData("release/*", "release", false)]
    [InlineData("release/*", "release/", true)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("*-stable", "12-3-stable", true)]
    [InlineData("*-stable", "12-3-stable-x", false)]
    [InlineData("feature/*/ready", "feature/a/b/ready", true)]
    [InlineData("feature/*/ready", "feature/a/b/readyx", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("release.*", "releaseX1", false)]
    public void BranchMatches_Pattern_MatchesAsGitLab(string pattern, string branch, bool expected) =>
        Assert.Equal(expected, CheckRules.BranchMatches(pattern, branch));

    [Fact]
    public void BranchMatches_ManyStarsOnLongBranch_StaysFast()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 100)) + "b";
        var branch = new string('a', 255);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(CheckRules.BranchMatches(pattern, branch));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void AppliesTo_NoProtectedBranches_AppliesToEveryTarget() =>
        Assert.True(CheckRules.AppliesTo([], "whatever"));

    [Theory]
    [InlineData("main", true)]
    [InlineData("release/2.0", true)]
    [InlineData("develop", false)]
    public void AppliesTo_ProtectedBranches_OnlyMatchingTargets(string target, bool expected) =>
        Assert.Equal(expected, CheckRules.AppliesTo(["main", "release/*"], target));

    [Fact]
    public void Status_NoResponseWithinTimeout_Pending() =>
        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(Facts(), T0.AddMinutes(2), Timeout));

    [Fact]
    public void Status_NoResponsePastTimeout_Failed() =>
        Assert.Equal(CheckStatuses.Failed, CheckRules.Status(Facts(), T0.AddMinutes(2).AddMilliseconds(1), Timeout));

    [Theory]
    [InlineData(CheckStatuses.Passed)]
    [InlineData(CheckStatuses.Failed)]
    public void Status_LatestResponseForCurrentSha_IsTheStatus(string status) =>
        Assert.Equal(status, CheckRules.Status(Facts(latest: new RecordedResponse(status, T0.AddSeconds(5))), T0.AddHours(1), Timeout));

    [Fact]
    public void Status_ResponseBeforeShaChange_ResetsToPending()
    {
        // The MR moved to a new commit at T0 + 1 min; the only response is from before that.
        var facts = Facts(latest: new RecordedResponse(CheckStatuses.Passed, T0.AddSeconds(5))) with { ShaChangedAt = T0.AddMinutes(1), NotifiedAt = T0.AddMinutes(1) };

        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(facts, T0.AddMinutes(2), Timeout));
        Assert.Equal(CheckStatuses.Failed, CheckRules.Status(facts, T0.AddMinutes(3).AddSeconds(1), Timeout));
    }

    [Fact]
    public void Status_RetryAfterFailedResponse_PendingAgainThenNewResponseCounts()
    {
        var retried = Facts(latest: new RecordedResponse(CheckStatuses.Failed, T0.AddSeconds(5))) with { ResetAt = T0.AddMinutes(10) };
        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(retried, T0.AddMinutes(11), Timeout));
        Assert.Equal(CheckStatuses.Failed, CheckRules.Status(retried, T0.AddMinutes(12).AddSeconds(1), Timeout));

        var answered = retried with { LatestResponse = new RecordedResponse(CheckStatuses.Passed, T0.AddMinutes(11)) };
        Assert.Equal(CheckStatuses.Passed, CheckRules.Status(answered, T0.AddHours(1), Timeout));
    }

    [Fact]
    public void Status_CheckCreatedLaterThanMergeRequest_TimeoutCountsFromCreation()
    {
        var facts = Facts() with { CheckCreatedAt = T0.AddHours(1) };

        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(facts, T0.AddHours(1).AddMinutes(1), Timeout));
    }

    [Fact]
    public void Status_ReopenNotifiesAgain_PendingTimeoutRestartsButResponsesStay()
    {
        var reopened = Facts() with { NotifiedAt = T0.AddHours(1) };
        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(reopened, T0.AddHours(1).AddMinutes(1), Timeout));

        var answered = reopened with { LatestResponse = new RecordedResponse(CheckStatuses.Passed, T0.AddSeconds(1)) };
        Assert.Equal(CheckStatuses.Passed, CheckRules.Status(answered, T0.AddHours(2), Timeout));
    }

    [Theory]
    [InlineData(MergeRequestStates.Closed, true, new[] { "passed" }, DetailedMergeStatuses.NotOpen)]
    [InlineData(MergeRequestStates.Merged, false, new string[0], DetailedMergeStatuses.NotOpen)]
    [InlineData(MergeRequestStates.Opened, true, new[] { "passed", "pending" }, DetailedMergeStatuses.StatusChecksMustPass)]
    [InlineData(MergeRequestStates.Opened, true, new[] { "failed" }, DetailedMergeStatuses.StatusChecksMustPass)]
    [InlineData(MergeRequestStates.Opened, true, new[] { "passed", "passed" }, DetailedMergeStatuses.Mergeable)]
    [InlineData(MergeRequestStates.Opened, true, new string[0], DetailedMergeStatuses.Mergeable)]
    [InlineData(MergeRequestStates.Opened, false, new[] { "failed" }, DetailedMergeStatuses.Mergeable)]
    public void DetailedMergeStatus_StateFlagAndChecks_AsGitLab(string state, bool onlyAllow, string[] statuses, string expected) =>
        Assert.Equal(expected, CheckRules.DetailedMergeStatus(state, onlyAllow, statuses));

    [Theory]
    [InlineData(null, "passed")]
    [InlineData("passed", "passed")]
    [InlineData("approved", "passed")]
    [InlineData("failed", "failed")]
    public void ResponseStatus_KnownValues_Normalised(string? input, string expected) =>
        Assert.Equal(expected, CheckRules.ResponseStatus(input));

    [Theory]
    [InlineData("pending")]
    [InlineData("PASSED")]
    [InlineData("")]
    public void ResponseStatus_OtherValues_InvalidParameter(string input)
    {
        var error = Assert.Throws<DomainException>(() => CheckRules.ResponseStatus(input)).Error;
        Assert.Equal(new DomainError.InvalidParameter("status"), error);
    }

    private static CheckStatusFacts Facts(RecordedResponse? latest = null) => new(T0, T0, T0.AddDays(-1), null, latest);
}
