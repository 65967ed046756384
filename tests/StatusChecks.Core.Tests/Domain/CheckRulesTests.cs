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
    [InlineData("failed", "failed")]
    [InlineData("pending", "pending")]
    public void ResponseStatus_KnownValues_Normalised(string? input, string expected) =>
        Assert.Equal(expected, CheckRules.ResponseStatus(input));

    [Theory]
    [InlineData("approved")]
    [InlineData("PASSED")]
    [InlineData("")]
    public void ResponseStatus_OtherValues_InvalidParameter(string input)
    {
        var error = Assert.Throws<DomainException>(() => CheckRules.ResponseStatus(input)).Error;
        Assert.Equal(new DomainError.InvalidParameter("status"), error);
    }

    [Fact]
    public void Status_PostedPending_PendingUntilTimeoutFromThatResponse()
    {
        var facts = Facts(latest: new RecordedResponse(CheckStatuses.Pending, T0.AddMinutes(1)));

        Assert.Equal(CheckStatuses.Pending, CheckRules.Status(facts, T0.AddMinutes(3), Timeout));
        Assert.Equal(CheckStatuses.Failed, CheckRules.Status(facts, T0.AddMinutes(3).AddMilliseconds(1), Timeout));
    }

    [Theory]
    [InlineData("https://mock.api.test/status?token=123456789", "https://mock.api.test/status")]
    [InlineData("https://ci.example/hook", "https://ci.example/hook")]
    [InlineData("https://ci.example/a?b?c", "https://ci.example/a")]
    [InlineData("https://ci.example/a#frag", "https://ci.example/a#frag")]
    public void UrlWithoutQuery_AsGitLabsEntity(string url, string expected) => Assert.Equal(expected, CheckRules.UrlWithoutQuery(url));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \t\n", null)]
    [InlineData(" s ", " s ")]
    public void Secret_BlankIsNone(string? given, string? expected) => Assert.Equal(expected, CheckRules.Secret(given));

    [Theory]
    [InlineData("http://ci.example/hook")]
    [InlineData("https://ci.example:8443/hooks/status?x=1")]
    [InlineData("http://127.0.0.1:9000/")]
    [InlineData("http://[::1]:9000/")]
    public void Validate_AbsoluteHttpUrl_Valid(string url) => Assert.Empty(CheckRules.Validate(new CheckFields("ci", url), [], true));

    [Theory]
    [InlineData("ftp://ci.example/hook", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("file:///etc/passwd", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("javascript:alert(1)", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("/relative/path", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("not a url", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("http://[::1", "External url is blocked: URI is invalid")]
    [InlineData("http://-bad.example/", "External url is blocked: Hostname or IP address invalid")]
    [InlineData("https://user:secret@ci.example/hook", "External url must not contain credentials")]
    [InlineData("https://token@ci.example/hook", "External url must not contain credentials")]
    public void Validate_BadUrl_FullMessage(string url, string message) =>
        Assert.Equal([message], CheckRules.Validate(new CheckFields("ci", url), [], true));

    [Fact]
    public void Validate_BlankUrl_PresenceAndAddressableMessages() =>
        Assert.Equal(["External url can't be blank", "External url must be a valid URL"], CheckRules.Validate(new CheckFields("ci", "  "), [], true));

    [Fact]
    public void Validate_LengthBoundaries_NameUrlSecret()
    {
        const string start = "https://ci.example/";
        Assert.Empty(CheckRules.Validate(new CheckFields(new string('n', 255), start + new string('a', 2048 - start.Length), new string('s', 255)), [], true));
        Assert.Equal(
            ["External url is too long (maximum is 2048 characters)", "Name is too long (maximum is 255 characters)", "Shared secret is too long (maximum is 255 characters)"],
            CheckRules.Validate(new CheckFields(new string('n', 256), start + new string('a', 2049 - start.Length), new string('s', 256)), [], true));
    }

    [Fact]
    public void Validate_TakenNameAndUrl_BothInModelOrder()
    {
        CheckFields[] others = [new("ci", "https://other.example/"), new("other", "https://ci.example/")];

        Assert.Equal(
            ["External url has already been taken", "Name has already been taken"],
            CheckRules.Validate(new CheckFields("ci", "https://ci.example/"), others, true));
        Assert.Empty(CheckRules.Validate(new CheckFields("CI", "https://ci.example/x"), others, true)); // case-sensitive, as GitLab's database
    }

    [Fact]
    public void Validate_BranchesOutsideProject_BaseMessageWithoutAttribute() =>
        Assert.Equal(["all protected branches must exist within the project"], CheckRules.Validate(new CheckFields("ci", "https://ci.example/"), [], false));

    private static CheckStatusFacts Facts(RecordedResponse? latest = null) => new(T0, T0, T0.AddDays(-1), null, latest);
}
