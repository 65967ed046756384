using System.Net;

namespace StatusChecks.IntegrationTests.StatusChecks;

/// <summary>docs/API.md (External status checks) rules for checks on merge requests: which apply, their status, responses, sha changes, retry.</summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusCheckMergeRequestTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData(null, "main", true)] // no protected branches: every MR
    [InlineData(null, "anything/else", true)]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("main", "develop", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/2.0/hotfix", true)]
    [InlineData("release/*", "release", false)]
    [InlineData("release/*", "prerelease/1.0", false)]
    public async Task Applicability_ByTargetBranch_ListedOnlyWhereItApplies_AnsweredAnywhere(string? protectedBranch, string targetBranch, bool applies)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        long[] branchIds = protectedBranch is null ? [] : [await project.ProtectedBranchAsync(protectedBranch)];
        var checkId = await project.CheckIdAsync(branchIds);
        var (iid, sha) = await project.MergeRequestAsync(targetBranch);

        var statuses = await project.StatusesAsync(iid);
        var (status, body, _) = await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { sha, external_status_check_id = checkId, status = "passed" });

        // GitLab records a response for any check of the project; only the MR's list depends on the target branch.
        Assert.Equal(applies, statuses.ContainsKey(checkId));
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        Assert.Equal(applies, (await project.StatusesAsync(iid)).ContainsKey(checkId));
    }

    [Fact]
    public async Task List_AsGitLab_PollIntervalHeaderAndUrlWithoutQuery()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var url = StatusCheckProject.NewUrl();
        await project.CheckIdAsync(url: url + "?token=secret-in-query");
        var (iid, _) = await project.MergeRequestAsync();

        var (status, body, response) = await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Get, project.MergeRequestPath(iid) + "/status_checks");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["10000"], response.Headers.GetValues("Poll-Interval"));
        Assert.Equal(url, body![0]!["external_url"]!.GetValue<string>());
        Assert.DoesNotContain("secret-in-query", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applicability_SeveralChecks_OnlyMatchingOnesListedInIdOrder()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var main = await project.ProtectedBranchAsync("main");
        var release = await project.ProtectedBranchAsync("release/*");
        var everywhere = await project.CheckIdAsync();
        var onMain = await project.CheckIdAsync([main]);
        var onRelease = await project.CheckIdAsync([release]);
        var onBoth = await project.CheckIdAsync([main, release]);
        var (mainMr, _) = await project.MergeRequestAsync("main");
        var (releaseMr, _) = await project.MergeRequestAsync("release/3");

        Assert.Equal([everywhere, onMain, onBoth], (await project.StatusesAsync(mainMr)).Keys);
        Assert.Equal([everywhere, onRelease, onBoth], (await project.StatusesAsync(releaseMr)).Keys);
    }

    [Theory]
    [InlineData("passed", "passed")]
    [InlineData("failed", "failed")]
    [InlineData("pending", "pending")]
    [InlineData(null, "passed")] // the default, so 14.1 clients (which send no status) keep working
    public async Task Respond_AtHead_ChangesPendingToTheReportedStatus(string? reported, string expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var other = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        var before = await project.StatusesAsync(iid);

        var response = await project.RespondAsync(iid, sha, checkId, reported);

        Assert.Equal(("pending", "pending"), (before[checkId], before[other]));
        Assert.Equal(expected, response["status"]!.GetValue<string>());
        var after = await project.StatusesAsync(iid);
        Assert.Equal((expected, "pending"), (after[checkId], after[other]));
    }

    [Fact]
    public async Task Respond_LaterResponseAtSameSha_Wins()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();

        await project.RespondAsync(iid, sha, checkId, "failed");
        await project.RespondAsync(iid, sha, checkId, "passed");

        Assert.Equal("passed", (await project.StatusesAsync(iid))[checkId]);
    }

    [Fact]
    public async Task Respond_ShaNotHead_Is409NamingTheHeadAndRecordsNothing()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, head) = await project.MergeRequestAsync();
        var wrong = GitLabApi.Sha();

        var (status, body, _) = await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { sha = wrong, external_status_check_id = checkId, status = "passed" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($$"""{"message":"SHA does not match HEAD of source branch: {{head}}"}""", body!.ToJsonString());
        Assert.Equal("pending", (await project.StatusesAsync(iid))[checkId]);
    }

    [Fact]
    public async Task NewSha_ResetsEveryCheckToPending_AndOldShaIsRefused()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var passing = await project.CheckIdAsync();
        var failing = await project.CheckIdAsync();
        var (iid, oldSha) = await project.MergeRequestAsync();
        await project.RespondAsync(iid, oldSha, passing, "passed");
        await project.RespondAsync(iid, oldSha, failing, "failed");
        var newSha = GitLabApi.Sha();

        var updated = await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Put, project.MergeRequestPath(iid), new { sha = newSha }, HttpStatusCode.OK);

        Assert.Equal(newSha, updated["sha"]!.GetValue<string>());
        Assert.Equal(["pending", "pending"], (await project.StatusesAsync(iid)).Values);
        await project.RespondAsync(iid, oldSha, passing, "passed", HttpStatusCode.Conflict);
        await project.RespondAsync(iid, newSha, passing, "passed");
        Assert.Equal(["passed", "pending"], (await project.StatusesAsync(iid)).Values);
    }

    [Fact]
    public async Task Retry_FailedCheck_Answers202AndMakesItPendingUntilTheNextResponse()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        await project.RespondAsync(iid, sha, checkId, "failed");

        var accepted = await project.RetryAsync(iid, checkId);

        Assert.Equal("""{"message":"202 Accepted"}""", accepted.ToJsonString());
        Assert.Equal("pending", (await project.StatusesAsync(iid))[checkId]);
        await project.RespondAsync(iid, sha, checkId, "passed");
        Assert.Equal("passed", (await project.StatusesAsync(iid))[checkId]);
    }

    [Theory]
    [InlineData(null)] // pending
    [InlineData("passed")]
    public async Task Retry_CheckNotFailed_Is422(string? reported)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        if (reported is not null)
        {
            await project.RespondAsync(iid, sha, checkId, reported);
        }

        var refused = await project.RetryAsync(iid, checkId, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("""{"message":"External status check must be failed"}""", refused.ToJsonString());
        Assert.Equal(reported ?? "pending", (await project.StatusesAsync(iid))[checkId]);
    }

    [Fact]
    public async Task CheckOfAnotherProject_RespondAndRetry_Are404NotFound()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var other = await StatusCheckProject.CreateAsync(api);
        var foreign = await other.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();

        var respond = await project.RespondAsync(iid, sha, foreign, "passed", HttpStatusCode.NotFound);
        var retry = await project.RetryAsync(iid, foreign, HttpStatusCode.NotFound);

        Assert.Equal("""{"message":"404 Not found"}""", respond.ToJsonString());
        Assert.Equal("""{"message":"404 Not found"}""", retry.ToJsonString());
    }

    [Fact]
    public async Task Retry_CheckThatDoesNotApplyToTheMergeRequest_Is422NotFailed()
    {
        // GitLab finds any check of the project, then refuses it because it is not failed on this MR.
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync([await project.ProtectedBranchAsync("main")]);
        var (iid, _) = await project.MergeRequestAsync("develop");

        var refused = await project.RetryAsync(iid, checkId, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("""{"message":"External status check must be failed"}""", refused.ToJsonString());
    }

    [Fact]
    public async Task DeleteCheck_RemovesItFromEveryMergeRequestList()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var kept = await project.CheckIdAsync();
        var deleted = await project.CheckIdAsync();
        var (first, sha) = await project.MergeRequestAsync();
        var (second, _) = await project.MergeRequestAsync("release/1");
        await project.RespondAsync(first, sha, deleted, "passed");

        await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Delete, $"{project.ChecksPath}/{deleted}", null, HttpStatusCode.NoContent);

        Assert.Equal([kept], (await project.StatusesAsync(first)).Keys);
        Assert.Equal([kept], (await project.StatusesAsync(second)).Keys);
        await project.RespondAsync(first, sha, deleted, "passed", HttpStatusCode.NotFound);
        await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Delete, $"{project.ChecksPath}/{deleted}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CheckCreatedAfterAResponse_StartsPendingOnTheMergeRequest()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        await project.RespondAsync(iid, sha, first, "passed");

        var second = await project.CheckIdAsync();

        var statuses = await project.StatusesAsync(iid);
        Assert.Equal(("passed", "pending"), (statuses[first], statuses[second]));
    }
}
