using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StatusChecks.IntegrationTests.Api;

namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// SPEC section 3 end to end: the real API publishes, the real worker fans out and delivers through Azurite's
/// queues, and local sinks on 127.0.0.1 play the external services.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class NotificationTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task OpenMergeRequest_SinkGetsGitLabPayloadAndHeaders_FieldByField()
    {
        await using var sink = WebhookSink.Answering(200);
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
        await using var sink = WebhookSink.Answering(500, 500, 200);
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
        await using var hung = WebhookSink.Silent();
        await using var healthy = WebhookSink.Answering(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var hungCheck = await project.CheckIdAsync(url: hung.Url, name: "a-hung");
        var deadCheck = await project.CheckIdAsync(url: $"http://127.0.0.1:{StatusChecks.Testing.FreePort.Next()}/gone", name: "b-dead");
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
    public async Task ScopedChecksAndClosedMergeRequest_OnlyApplicableOpenOnesNotified_ReopenNotifiesAgain()
    {
        await using var everywhere = WebhookSink.Answering(200);
        await using var releaseOnly = WebhookSink.Answering(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var release = await project.ProtectedBranchAsync("release/*");
        await project.CheckIdAsync(url: everywhere.Url);
        await project.CheckIdAsync(url: releaseOnly.Url, protectedBranchIds: [release]);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha(), target: "main"))["iid"]!;
        await everywhere.WaitForAsync(1);

        await project.UpdateMergeRequestAsync(iid, new { state_event = "close" });
        await project.UpdateMergeRequestAsync(iid, new { sha = GitLabApi.Sha() });
        await everywhere.AssertNoMoreThanAsync(1, Quiet);

        await project.UpdateMergeRequestAsync(iid, new { state_event = "reopen" });
        var reopened = (await everywhere.WaitForAsync(2))[1];
        Assert.Equal("reopen", (string?)JsonNode.Parse(reopened.Body)!["object_attributes"]!["action"]);
        Assert.Empty(releaseOnly.Requests);

        var other = (long)(await project.OpenAsync(GitLabApi.Sha(), target: "release/1.0"))["iid"]!;
        var released = Assert.Single(await releaseOnly.WaitForAsync(1));
        Assert.Equal(other, (long)JsonNode.Parse(released.Body)!["object_attributes"]!["iid"]!);
    }

    [Fact]
    public async Task NewCommit_NotifiesAgainAsANewEventWithOldrev_TitleChangeDoesNot()
    {
        await using var sink = WebhookSink.Answering(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync(url: sink.Url);
        var (first, second) = (GitLabApi.Sha(), GitLabApi.Sha());
        var iid = (long)(await project.OpenAsync(first))["iid"]!;
        await sink.WaitForAsync(1);

        await project.UpdateMergeRequestAsync(iid, new { title = "Renamed" });
        await project.UpdateMergeRequestAsync(iid, new { sha = second });

        var requests = await sink.WaitForAsync(2);
        var update = JsonNode.Parse(requests[1].Body)!["object_attributes"]!;
        Assert.Equal(("update", second, first, "Renamed"), ((string?)update["action"], (string?)update["last_commit"]!["id"], (string?)update["oldrev"], (string?)update["title"]));
        Assert.NotEqual(requests[0].Header("X-Gitlab-Event-UUID"), requests[1].Header("X-Gitlab-Event-UUID"));
        await sink.AssertNoMoreThanAsync(2, Quiet);
    }

    [Fact]
    public async Task RetryOfAFailedCheck_NotifiesThatCheckAgain()
    {
        await using var sink = WebhookSink.Answering(200);
        await using var other = WebhookSink.Answering(200);
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
        await using var sink = WebhookSink.Answering(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;

        await project.CheckIdAsync(url: sink.Url);

        var request = Assert.Single(await sink.WaitForAsync(1));
        Assert.Equal(iid, (long)JsonNode.Parse(request.Body)!["object_attributes"]!["iid"]!);
    }
}
