using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StatusChecks.LocalHost;

namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// docs/API.md (Notifications) end to end: the real API publishes, the real worker fans out and delivers through Azurite's
/// queues, and local sinks on 127.0.0.1 play the external services.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class NotificationTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task OpenMergeRequest_SinkGetsGitLabPayloadAndHeaders_FieldByField()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url, sharedSecret: "s3cret-shared", name: "Security scan");
        var sha = GitLabApi.Sha();

        var mr = await project.OpenAsync(sha);

        var request = Assert.Single(await sink.WaitForAsync(1));
        Assert.Equal(("POST", new Uri(sink.Url).AbsolutePath), (request.Method, request.Path));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("Merge Request Hook", request.Header("X-Gitlab-Event"));
        Assert.True(Guid.TryParse(request.Header("X-Gitlab-Event-UUID"), out _), request.Header("X-Gitlab-Event-UUID"));
        Assert.Matches(@"^StatusChecks/\d+\.\d+\.\d+$", request.Header("User-Agent"));

        // Signatures recomputed here from the plain secret, independently of the service's code.
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret-shared"));
        Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash(request.Body)), request.Header("X-Gitlab-Signature"));
        var timestamp = request.Header("X-StatusChecks-Timestamp")!;
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal("v1=" + Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.UTF8.GetBytes(timestamp + "."), .. request.Body])), request.Header("X-StatusChecks-Signature"));

        var payload = JsonNode.Parse(request.Body)!.AsObject();
        Assert.Equal("merge_request", (string?)payload["object_kind"]);
        Assert.Equal("merge_request", (string?)payload["event_type"]);
        var user = payload["user"]!;
        Assert.Equal(project.DeveloperId, (long)user["id"]!);
        Assert.StartsWith("user-", (string?)user["username"], StringComparison.Ordinal);
        Assert.Equal("[REDACTED]", (string?)user["email"]);
        var projectNode = payload["project"]!;
        Assert.Equal(project.Id, (long)projectNode["id"]!);
        Assert.Equal((string?)project.Project["name"], (string?)projectNode["name"]);
        Assert.Equal((string?)project.Project["path_with_namespace"], (string?)projectNode["path_with_namespace"]);
        Assert.Equal((string?)project.Project["web_url"], (string?)projectNode["web_url"]);
        var attributes = payload["object_attributes"]!;
        Assert.Equal((long)mr["id"]!, (long)attributes["id"]!);
        Assert.Equal((long)mr["iid"]!, (long)attributes["iid"]!);
        Assert.Equal(("Add the feature", "opened", "open", "feature", "main"), ((string?)attributes["title"], (string?)attributes["state"], (string?)attributes["action"], (string?)attributes["source_branch"], (string?)attributes["target_branch"]));
        Assert.Equal(sha, (string?)attributes["last_commit"]!["id"]);
        Assert.Equal((string?)mr["web_url"], (string?)attributes["url"]);
        Assert.Equal((project.Id, project.Id, project.DeveloperId), ((long)attributes["source_project_id"]!, (long)attributes["target_project_id"]!, (long)attributes["author_id"]!));
        Assert.Empty(payload["labels"]!.AsArray());
        Assert.Empty(payload["changes"]!.AsObject());
        Assert.Equal((string?)project.Project["name"], (string?)payload["repository"]!["name"]);
        var rule = payload["external_approval_rule"]!.AsObject();
        Assert.Equal(["external_url", "id", "name"], rule.Select(p => p.Key).Order());
        Assert.Equal((checkId, "Security scan", sink.Url), ((long)rule["id"]!, (string?)rule["name"], (string?)rule["external_url"]));
        await sink.AssertNoMoreThanAsync(1, Quiet);
    }

    [Fact]
    public async Task SinkFailsTwiceThenOk_RetriedOnSchedule_ExactlyOneSuccessRecorded()
    {
        await using var sink = await WebhookSink.AnsweringAsync(500, 500, 200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url);

        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        var requests = await sink.WaitForAsync(3);
        Assert.Single(requests.Select(r => r.Header("X-Gitlab-Event-UUID")).Distinct());
        Assert.Single(requests.Select(r => Encoding.UTF8.GetString(r.Body)).Distinct());
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), "the first retry came before its delay");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromMilliseconds(1900), "the second retry came before its delay");
        var log = await project.WaitForDeliveriesAsync(iid, checkId, l => l.Count == 3);
        Assert.Equal(
            [(3, "retry", "succeeded", 200), (2, "retry", "retrying", 500), (1, "event", "retrying", 500)],
            log.Select(a => ((int)a!["attempt"]!, (string)a["trigger"]!, (string)a["status"]!, (int)a["response_code"]!)));
        await sink.AssertNoMoreThanAsync(3, Quiet);
    }

    [Fact]
    public async Task HungAndDeadSinks_RecordedAsFailures_HealthySinkOnTheSameMergeRequestServedAtOnce()
    {
        await using var hung = await WebhookSink.SilentAsync();
        await using var healthy = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var hungCheck = await project.CheckIdAsync(url: hung.Url, name: "a-hung");
        var deadCheck = await project.CheckIdAsync(url: $"http://127.0.0.1:{LoopbackPorts.Next()}/gone", name: "b-dead");
        await project.CheckIdAsync(url: healthy.Url, name: "c-healthy");
        var clock = Stopwatch.StartNew();

        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        await healthy.WaitForAsync(1);
        Assert.True(clock.Elapsed < NotificationsFixture.RequestTimeout, $"the healthy sink waited {clock.Elapsed} (request timeout {NotificationsFixture.RequestTimeout})");
        var hungLog = await project.WaitForDeliveriesAsync(iid, hungCheck, l => l.Any(a => (string?)a!["status"] == "failed"));
        Assert.Equal(["failed", "retrying", "retrying"], hungLog.Select(a => (string?)a!["status"]));
        Assert.All(hungLog, a => Assert.StartsWith("No response within 2 s", (string?)a!["error"], StringComparison.Ordinal));
        Assert.All(hungLog, a => Assert.Null(a!["response_code"]));
        Assert.Equal(3, hung.Requests.Count);
        var deadLog = await project.WaitForDeliveriesAsync(iid, deadCheck, l => l.Any(a => (string?)a!["status"] == "failed"));
        Assert.Equal(3, deadLog.Count);
        Assert.All(deadLog, a => Assert.False(string.IsNullOrEmpty((string?)a!["error"])));
        await healthy.AssertNoMoreThanAsync(1, TimeSpan.Zero);
    }

    [Fact]
    public async Task ScopedChecksAndClosedMergeRequest_OnlyApplicableOnesNotified_CloseAndReopenNotify_PushToClosedDoesNot()
    {
        await using var everywhere = await WebhookSink.AnsweringAsync(200);
        await using var releaseOnly = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var release = await project.ProtectedBranchAsync("release/*");
        await project.CheckIdAsync(url: everywhere.Url);
        await project.CheckIdAsync(url: releaseOnly.Url, protectedBranchIds: [release]);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha(), target: "main"))["iid"]!;
        await everywhere.WaitForAsync(1);

        await project.UpdateMergeRequestAsync(iid, new { state_event = "close" });
        var closed = (await everywhere.WaitForAsync(2))[1];
        Assert.Equal("close", (string?)JsonNode.Parse(closed.Body)!["object_attributes"]!["action"]);
        await project.UpdateMergeRequestAsync(iid, new { sha = GitLabApi.Sha() });
        await everywhere.AssertNoMoreThanAsync(2, Quiet);

        await project.UpdateMergeRequestAsync(iid, new { state_event = "reopen" });
        var reopened = (await everywhere.WaitForAsync(3))[2];
        Assert.Equal("reopen", (string?)JsonNode.Parse(reopened.Body)!["object_attributes"]!["action"]);
        Assert.Empty(releaseOnly.Requests);

        var other = (long)(await project.OpenAsync(GitLabApi.Sha(), target: "release/1.0"))["iid"]!;
        var released = Assert.Single(await releaseOnly.WaitForAsync(1));
        Assert.Equal(other, (long)JsonNode.Parse(released.Body)!["object_attributes"]!["iid"]!);
    }

    [Fact]
    public async Task NewCommit_NotifiesAgainAsANewEventWithOldrev()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync(url: sink.Url);
        var (first, second) = (GitLabApi.Sha(), GitLabApi.Sha());
        var iid = (long)(await project.OpenAsync(first))["iid"]!;
        await sink.WaitForAsync(1);

        await project.UpdateMergeRequestAsync(iid, new { sha = second });

        var requests = await sink.WaitForAsync(2);
        var update = JsonNode.Parse(requests[1].Body)!["object_attributes"]!;
        Assert.Equal(("update", second, first), ((string?)update["action"], (string?)update["last_commit"]!["id"], (string?)update["oldrev"]));
        Assert.NotEqual(requests[0].Header("X-Gitlab-Event-UUID"), requests[1].Header("X-Gitlab-Event-UUID"));
        await sink.AssertNoMoreThanAsync(2, Quiet);
    }

    [Fact]
    public async Task TitleEditCloseReopenAndMerge_EachNotifiedWithGitLabsActionAndChanges()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync(url: sink.Url);
        var sha = GitLabApi.Sha();
        var iid = (long)(await project.OpenAsync(sha))["iid"]!;
        await sink.WaitForAsync(1);

        // One change at a time: a notification describes its write, and one superseded before its fan-out is not sent.
        await project.UpdateMergeRequestAsync(iid, new { title = "Renamed" });
        var edited = Payload((await sink.WaitForAsync(2))[1]);
        await project.UpdateMergeRequestAsync(iid, new { state_event = "close" });
        var closed = Payload((await sink.WaitForAsync(3))[2]);
        await project.UpdateMergeRequestAsync(iid, new { state_event = "reopen" });
        var reopened = Payload((await sink.WaitForAsync(4))[3]);
        await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Put, $"{project.MergeRequestPath(iid)}/merge", new { sha }, HttpStatusCode.OK);
        var merged = Payload((await sink.WaitForAsync(5))[4]);

        Assert.Equal(("update", "Renamed", "opened"), Summary(edited));
        Assert.Equal("""{"previous":"Add the feature","current":"Renamed"}""", edited["changes"]!["title"]!.ToJsonString());
        Assert.Equal(("close", "Renamed", "closed"), Summary(closed));
        Assert.Equal("""{"previous":1,"current":2}""", closed["changes"]!["state_id"]!.ToJsonString());
        Assert.Equal(("reopen", "Renamed", "opened"), Summary(reopened));
        Assert.Equal("""{"previous":2,"current":1}""", reopened["changes"]!["state_id"]!.ToJsonString());
        Assert.Equal(("merge", "Renamed", "merged"), Summary(merged));
        Assert.Equal("""{"previous":1,"current":3}""", merged["changes"]!["state_id"]!.ToJsonString());
        Assert.Equal(("not_open", project.DeveloperId), ((string?)merged["object_attributes"]!["detailed_merge_status"], (long)merged["object_attributes"]!["merge_user_id"]!));
        Assert.All([edited, closed, reopened, merged], payload => Assert.Matches(
            @"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", (string?)payload["changes"]!["updated_at"]!["current"]));
        await sink.AssertNoMoreThanAsync(5, Quiet);

        static JsonObject Payload(SinkRequest request) => JsonNode.Parse(request.Body)!.AsObject();

        static (string?, string?, string?) Summary(JsonObject payload) =>
            ((string?)payload["object_attributes"]!["action"], (string?)payload["object_attributes"]!["title"], (string?)payload["object_attributes"]!["state"]);
    }

    [Fact]
    public async Task DescriptionEdits_NotifiedAsUpdatesWithTheDescriptionChange()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync(url: sink.Url);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;
        var opened = JsonNode.Parse((await sink.WaitForAsync(1))[0].Body)!;

        // One edit at a time (see TitleEditCloseReopenAndMerge): each notification describes its own write.
        await project.UpdateMergeRequestAsync(iid, new { description = "Why: \"it\" <matters> \u00e9\n" });
        var described = JsonNode.Parse((await sink.WaitForAsync(2))[1].Body)!;
        await project.UpdateMergeRequestAsync(iid, new { description = "" });
        var cleared = JsonNode.Parse((await sink.WaitForAsync(3))[2].Body)!;

        Assert.True(opened["object_attributes"]!.AsObject().ContainsKey("description"));
        Assert.Null(opened["object_attributes"]!["description"]); // never given: GitLab's nil
        Assert.Equal(("update", "Why: \"it\" <matters> \u00e9\n"), ((string?)described["object_attributes"]!["action"], (string?)described["object_attributes"]!["description"]));
        var change = described["changes"]!["description"]!;
        Assert.Equal(["previous", "current"], change.AsObject().Select(pair => pair.Key));
        Assert.Equal(((string?)null, "Why: \"it\" <matters> \u00e9\n"), ((string?)change["previous"], (string?)change["current"]));
        Assert.Equal(("update", ""), ((string?)cleared["object_attributes"]!["action"], (string?)cleared["object_attributes"]!["description"]));
        Assert.Equal(("Why: \"it\" <matters> \u00e9\n", ""), ((string?)cleared["changes"]!["description"]!["previous"], (string?)cleared["changes"]!["description"]!["current"]));
        Assert.False(cleared["changes"]!.AsObject().ContainsKey("title"));
        await sink.AssertNoMoreThanAsync(3, Quiet);
    }

    [Fact]
    public async Task AdministratorOpens_UserAndAuthorAreRootWithItsId()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync(url: sink.Url);

        await GitLabApi.SendAsync(
            fixture.Api.Admin, HttpMethod.Post, $"v4/projects/{project.Id}/merge_requests", new { source_branch = "feature", target_branch = "main", title = "By the admin", sha = GitLabApi.Sha() }, HttpStatusCode.Created);

        var payload = JsonNode.Parse(Assert.Single(await sink.WaitForAsync(1)).Body)!;
        Assert.Equal((1L, "root"), ((long)payload["user"]!["id"]!, (string?)payload["user"]!["username"]));
        Assert.Equal(1L, (long)payload["object_attributes"]!["author_id"]!);
    }

    [Fact]
    public async Task SinkAnswers4xx_RecordedOnceAsFailedNotRetried_WhileA5xxIsRetried()
    {
        await using var notFound = await WebhookSink.AnsweringAsync(404);
        await using var badRequest = await WebhookSink.AnsweringAsync(400);
        await using var broken = await WebhookSink.AnsweringAsync(500);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var notFoundCheck = await project.CheckIdAsync(url: notFound.Url, name: "a-not-found");
        var badRequestCheck = await project.CheckIdAsync(url: badRequest.Url, name: "b-bad-request");
        var brokenCheck = await project.CheckIdAsync(url: broken.Url, name: "c-broken");

        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        // The 500 is retried on the schedule (1 s, 2 s) and given up; by then a retried 4xx would have been sent again.
        var brokenLog = await project.WaitForDeliveriesAsync(iid, brokenCheck, l => l.Any(a => (string?)a!["status"] == "failed"));
        Assert.Equal([(3, "failed", 500), (2, "retrying", 500), (1, "retrying", 500)], brokenLog.Select(a => ((int)a!["attempt"]!, (string)a["status"]!, (int)a["response_code"]!)));
        foreach (var (sink, checkId, code) in new[] { (notFound, notFoundCheck, 404), (badRequest, badRequestCheck, 400) })
        {
            var log = await project.DeliveriesAsync(iid, checkId);
            Assert.Equal((1, "event", "failed", code), Summary(Assert.Single(log)!));
            await sink.AssertNoMoreThanAsync(1, TimeSpan.Zero);
        }

        await notFound.AssertNoMoreThanAsync(1, Quiet);
        Assert.Single(badRequest.Requests);

        static (int, string, string, int) Summary(JsonNode attempt) =>
            ((int)attempt["attempt"]!, (string)attempt["trigger"]!, (string)attempt["status"]!, (int)attempt["response_code"]!);
    }

    [Fact]
    public async Task RetryOfAFailedCheck_NotifiesThatCheckAgain()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        await using var other = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url);
        await project.CheckIdAsync(url: other.Url);
        var sha = GitLabApi.Sha();
        var iid = (long)(await project.OpenAsync(sha))["iid"]!;
        await sink.WaitForAsync(1);
        await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Post, $"v4/projects/{project.Id}/merge_requests/{iid}/status_check_responses", new { sha, external_status_check_id = checkId, status = "failed" }, HttpStatusCode.Created);

        await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Post, $"v4/projects/{project.Id}/merge_requests/{iid}/status_checks/{checkId}/retry", null, HttpStatusCode.Accepted);

        var requests = await sink.WaitForAsync(2);
        Assert.NotEqual(requests[0].Header("X-Gitlab-Event-UUID"), requests[1].Header("X-Gitlab-Event-UUID"));
        Assert.Equal(sha, (string?)JsonNode.Parse(requests[1].Body)!["object_attributes"]!["last_commit"]!["id"]);
        await other.AssertNoMoreThanAsync(1, Quiet);
    }

    [Fact]
    public async Task CheckCreatedWhileMergeRequestIsOpen_ThatMergeRequestIsNotified()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        await project.CheckIdAsync(url: sink.Url);

        var request = Assert.Single(await sink.WaitForAsync(1));
        Assert.Equal(iid, (long)JsonNode.Parse(request.Body)!["object_attributes"]!["iid"]!);
    }
}
