using System.Net;
using System.Text.Json.Nodes;
using StatusChecks.LocalHost;

namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>docs/API.md (Delivery log): the delivery log and redelivery routes, over real HTTP.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class DeliveryLogTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task List_AfterRetries_EveryAttemptFieldByFieldNewestFirstWithPaginationHeaders()
    {
        await using var sink = await WebhookSink.AnsweringAsync(503, 200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url);
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;
        var uuid = (await sink.WaitForAsync(2))[0].Header("X-Gitlab-Event-UUID");
        await project.WaitForDeliveriesAsync(iid, checkId, log => log.Count == 2);

        var (status, body, response) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, project.DeliveriesPath(iid, checkId) + "?per_page=1&page=2");

        Assert.Equal(HttpStatusCode.OK, status);
        var attempt = Assert.Single(body!.AsArray())!.AsObject();
        Assert.Equal(
            ["action", "attempt", "created_at", "duration_ms", "error", "event_id", "id", "response_code", "status", "trigger"],
            attempt.Select(p => p.Key).Order());
        Assert.True((long)attempt["id"]! > 0);
        Assert.Equal(uuid, (string?)attempt["event_id"]);
        Assert.Equal(("open", 1, "event", "retrying", 503), ((string?)attempt["action"], (int)attempt["attempt"]!, (string?)attempt["trigger"], (string?)attempt["status"], (int)attempt["response_code"]!));
        Assert.StartsWith("HTTP 503", (string?)attempt["error"], StringComparison.Ordinal);
        Assert.InRange((long)attempt["duration_ms"]!, 0, 2000);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", (string?)attempt["created_at"]);
        Assert.Equal(
            ("2", "1", "2", "2", "", "1"),
            (Header(response, "X-Page"), Header(response, "X-Per-Page"), Header(response, "X-Total"), Header(response, "X-Total-Pages"), Header(response, "X-Next-Page"), Header(response, "X-Prev-Page")));
        Assert.Contains("rel=\"first\"", Header(response, "Link"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeliver_SendsTheSameDeliveryAgainAsANewAttempt()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url, sharedSecret: "again");
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;
        await sink.WaitForAsync(1);
        var deliveryId = (long)(await project.WaitForDeliveriesAsync(iid, checkId, log => log.Count == 1))[0]!["id"]!;

        var accepted = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Post, $"{project.DeliveriesPath(iid, checkId)}/{deliveryId}/redeliver", null, HttpStatusCode.Accepted);

        Assert.Equal("202 Accepted", (string?)accepted["message"]);
        var requests = await sink.WaitForAsync(2);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(requests[0].Header("X-Gitlab-Event-UUID"), requests[1].Header("X-Gitlab-Event-UUID"));
        var log = await project.WaitForDeliveriesAsync(iid, checkId, l => l.Count == 2);
        Assert.Equal([(2, "redeliver", "succeeded"), (1, "event", "succeeded")], log.Select(a => ((int)a!["attempt"]!, (string)a["trigger"]!, (string)a["status"]!)));
        Assert.All(log, a => Assert.Equal(deliveryId, (long)a!["id"]!));
    }

    [Fact]
    public async Task Routes_RolesAndUnknownIds_GitLabErrors()
    {
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: $"http://127.0.0.1:{LoopbackPorts.Next()}/none");
        var iid = (long)(await project.OpenAsync(GitLabApi.Sha()))["iid"]!;
        var list = project.DeliveriesPath(iid, checkId);
        var (_, outsiderToken) = await fixture.Api.CreateUserAsync();
        var (readOnlyId, readOnlyToken) = await fixture.Api.CreateUserAsync(["read_api"]);
        await GitLabApi.SendAsync(fixture.Api.Admin, HttpMethod.Post, $"v4/projects/{project.Id}/members", new { user_id = readOnlyId, access_level = 40 }, HttpStatusCode.Created);

        await Expect(project.MaintainerClient, HttpMethod.Get, list, HttpStatusCode.OK, null);
        await Expect(fixture.Api.Admin, HttpMethod.Get, list, HttpStatusCode.OK, null);
        await Expect(project.DeveloperClient, HttpMethod.Get, list, HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""");
        await Expect(fixture.Api.As(outsiderToken), HttpMethod.Get, list, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
        await Expect(fixture.Api.Anonymous, HttpMethod.Get, list, HttpStatusCode.Unauthorized, """{"message":"401 Unauthorized"}""");
        await Expect(fixture.Api.As(readOnlyToken), HttpMethod.Get, list, HttpStatusCode.OK, null);
        await Expect(fixture.Api.As(readOnlyToken), HttpMethod.Post, $"{list}/1/redeliver", HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""");
        await Expect(project.DeveloperClient, HttpMethod.Post, $"{list}/1/redeliver", HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""");
        await Expect(project.MaintainerClient, HttpMethod.Get, project.DeliveriesPath(iid + 100, checkId), HttpStatusCode.NotFound, """{"message":"404 Merge Request Not Found"}""");
        await Expect(project.MaintainerClient, HttpMethod.Get, project.DeliveriesPath(iid, checkId + 1000), HttpStatusCode.NotFound, """{"message":"404 External Status Check Not Found"}""");
        await Expect(project.MaintainerClient, HttpMethod.Get, project.DeliveriesPath(iid, 0).Replace("/0/", "/abc/", StringComparison.Ordinal), HttpStatusCode.NotFound, """{"message":"404 External Status Check Not Found"}""");
        await Expect(project.MaintainerClient, HttpMethod.Post, $"{list}/999999/redeliver", HttpStatusCode.NotFound, """{"message":"404 Delivery Not Found"}""");
        await Expect(project.MaintainerClient, HttpMethod.Post, $"{list}/x/redeliver", HttpStatusCode.NotFound, """{"message":"404 Delivery Not Found"}""");
        await Expect(project.MaintainerClient, HttpMethod.Get, list + "?verbose=1", HttpStatusCode.OK, null); // undeclared: ignored, as GitLab
    }

    private static async Task Expect(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, string? body)
    {
        var (status, json, _) = await GitLabApi.CallAsync(client, method, path);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status} {json?.ToJsonString()}");
        if (body is not null)
        {
            Assert.Equal(body, json!.ToJsonString());
        }
    }

    private static string? Header(ApiResponse response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
