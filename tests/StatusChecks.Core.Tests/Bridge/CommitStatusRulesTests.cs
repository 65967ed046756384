using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Bridge;

public sealed class CommitStatusRulesTests
{
    private const string Name = "external-status-checks";

    [Theory]
    [InlineData(new[] { "passed", "passed" }, "success", "2 of 2 external checks passed")]
    [InlineData(new[] { "passed", "pending", "passed" }, "pending", "2 of 3 external checks passed, 1 pending")]
    [InlineData(new[] { "failed", "passed" }, "failed", "1 of 2 external checks passed, 1 failed")]
    [InlineData(new[] { "failed", "pending" }, "pending", "0 of 2 external checks passed, 1 failed, 1 pending")] // pending while any is pending
    [InlineData(new[] { "passed" }, "success", "1 of 1 external check passed")]
    [InlineData(new string[0], "success", "No external checks apply")]
    public void Summary_StateAndDescription(string[] statuses, string state, string description)
    {
        var desired = CommitStatusRules.Desired(Name, perCheck: false, statuses.Select((s, i) => ($"check {i}", s)).ToList(), []);

        Assert.Equal([new DesiredCommitStatus(Name, state, description)], desired);
    }

    [Fact]
    public void PerCheck_OneStatusPerCheck_NamedAfterIt()
    {
        var desired = CommitStatusRules.Desired(Name, perCheck: true, [("Security", CheckStatuses.Passed), ("Licences", CheckStatuses.Pending), ("QA", CheckStatuses.Failed)], []);

        Assert.Equal(
            [("Security", "success"), ("Licences", "pending"), ("QA", "failed")],
            desired.Select(d => (d.Name, d.State)));
    }

    [Fact]
    public void PerCheck_CheckNoLongerApplying_ReleasedAsSuccess()
    {
        var previous = new[] { new DesiredCommitStatus("Security", "success", "External status check passed"), new DesiredCommitStatus("QA", "failed", "External status check failed") };

        var desired = CommitStatusRules.Desired(Name, perCheck: true, [("Security", CheckStatuses.Passed)], previous);

        Assert.Equal([("Security", "success"), ("QA", "success")], desired.Select(d => (d.Name, d.State)));
        Assert.Equal("No longer applies to this merge request", desired[1].Description);
    }

    [Fact]
    public void Description_NeverOverGitLabsLimit()
    {
        Assert.True(CommitStatusRules.Describe(int.MaxValue / 4, int.MaxValue / 4, int.MaxValue / 4).Length <= 255);
    }

    [Theory]
    [InlineData(400, """{"message":"Cannot transition status via :enqueue from :pending (Reason(s): Status cannot transition via \"enqueue\")"}""", "pending", true)]
    [InlineData(400, """{"message":"Cannot transition status via :enqueue from :pending"}""", "success", false)]
    [InlineData(400, """{"error":"state does not have a valid value"}""", "pending", false)]
    [InlineData(404, """{"message":"404 Commit Not Found"}""", "pending", false)]
    public void AlreadyPendingInGitLab_IsSuccess(int code, string body, string state, bool expected)
    {
        Assert.Equal(expected, CommitStatusRules.IsAlreadyInState(code, body, state));
    }

    [Fact]
    public void SerializeParse_RoundTrip()
    {
        IReadOnlyList<DesiredCommitStatus> statuses = [new("a", "pending", "x"), new("b", "success", "y")];

        Assert.Equal(statuses, CommitStatusRules.Parse(CommitStatusRules.Serialize(statuses)));
    }
}

public sealed class GitLabLinkRulesTests
{
    [Theory]
    [InlineData("https://gitlab.example.com", false, "https://gitlab.example.com")]
    [InlineData("https://gitlab.example.com/", false, "https://gitlab.example.com")]
    [InlineData(" https://example.com/gitlab/ ", false, "https://example.com/gitlab")]
    [InlineData("http://127.0.0.1:8929", true, "http://127.0.0.1:8929")]
    public void GitLabUrl_Accepted(string value, bool allowHttp, string stored)
    {
        Assert.Equal(stored, GitLabLinkService.GitLabUrl(value, allowHttp));
    }

    [Theory]
    [InlineData("http://gitlab.example.com", false)] // plain http only where private networks are allowed
    [InlineData("ftp://gitlab.example.com", true)]
    [InlineData("gitlab.example.com", true)]
    [InlineData("https://user:pass@gitlab.example.com", true)]
    [InlineData("https://gitlab.example.com/?private_token=x", true)]
    [InlineData("https://gitlab.example.com/#x", true)]
    [InlineData("", true)]
    public void GitLabUrl_Refused(string value, bool allowHttp)
    {
        Assert.Equal(new DomainError.InvalidParameter("gitlab_url"), Assert.Throws<DomainException>(() => GitLabLinkService.GitLabUrl(value, allowHttp)).Error);
    }
}
