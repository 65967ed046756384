using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;
using static StatusChecks.Core.Tests.Notifications.NotificationTestData;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class MergeRequestHookPayloadTests
{
    private static readonly ProjectEntity Project = new() { Id = 7, Name = "Demo", Path = "demo", Namespace = "root", CreatedAt = Now };
    private static readonly UserEntity Author = new() { Id = 42, Username = "alice", Name = "Alice", Email = "alice@example.com" };

    private readonly MergeRequestHookPayload payloads = new(new Shapes(Options.Create(new StatusChecksOptions { WebBaseUrl = new Uri("https://gitlab.example") })));

    private JsonObject Build(MergeRequestEvent mergeRequestEvent, UserEntity? actor = null) =>
        JsonNode.Parse(payloads.Build(new HookContext(mergeRequestEvent, Project, MergeRequest(), Check(10).Entity with { Name = "QA" }, actor ?? Author)))!.AsObject();

    [Fact]
    public void Build_Opened_GitLabMergeRequestHookWithTheRule()
    {
        var payload = Build(Event(MergeRequestEventKind.Opened, revision: 1));

        Assert.Equal("merge_request", (string?)payload["object_kind"]);
        Assert.Equal("merge_request", (string?)payload["event_type"]);
        Assert.Equal(
            """{"id":42,"name":"Alice","username":"alice","avatar_url":null,"email":"[REDACTED]"}""",
            payload["user"]!.ToJsonString());
        var project = payload["project"]!;
        Assert.Equal((7L, "Demo", "root/demo", "https://gitlab.example/root/demo", "root"), ((long)project["id"]!, (string?)project["name"], (string?)project["path_with_namespace"], (string?)project["web_url"], (string?)project["namespace"]));
        Assert.Equal("https://gitlab.example/root/demo.git", (string?)project["git_http_url"]);
        var attributes = payload["object_attributes"]!;
        Assert.Equal((501L, 1L, "Add feature", "opened", 1, "open"), ((long)attributes["id"]!, (long)attributes["iid"]!, (string?)attributes["title"], (string?)attributes["state"], (int)attributes["state_id"]!, (string?)attributes["action"]));
        Assert.Equal(("feature", "main", 7L, 7L, 42L), ((string?)attributes["source_branch"], (string?)attributes["target_branch"], (long)attributes["source_project_id"]!, (long)attributes["target_project_id"]!, (long)attributes["author_id"]!));
        Assert.Equal(("2026-11-25T09:00:00.000Z", "2026-11-25T10:00:00.000Z"), ((string?)attributes["created_at"], (string?)attributes["updated_at"]));
        Assert.Equal("https://gitlab.example/root/demo/-/merge_requests/1", (string?)attributes["url"]);
        Assert.Equal(Sha.A, (string?)attributes["last_commit"]!["id"]);
        Assert.Equal($"https://gitlab.example/root/demo/-/commit/{Sha.A}", (string?)attributes["last_commit"]!["url"]);
        Assert.False(attributes.AsObject().ContainsKey("oldrev"));
        Assert.Empty(payload["labels"]!.AsArray());
        Assert.Empty(payload["changes"]!.AsObject());
        Assert.Equal(("Demo", "https://gitlab.example/root/demo.git"), ((string?)payload["repository"]!["name"], (string?)payload["repository"]!["url"]));
        Assert.Equal("""{"id":10,"name":"QA","external_url":"https://ci.example/10"}""", payload["external_approval_rule"]!.ToJsonString());
    }

    [Fact]
    public void Build_NewCommit_UpdateWithOldrev()
    {
        var payload = Build(Event(MergeRequestEventKind.Updated));

        Assert.Equal("update", (string?)payload["object_attributes"]!["action"]);
        Assert.Equal(Sha.B, (string?)payload["object_attributes"]!["oldrev"]);
    }

    [Fact]
    public void Build_NewTarget_ChangesNameIt()
    {
        var payload = Build(Event() with { PreviousSha = null, PreviousTargetBranch = "develop" });

        Assert.Equal("""{"target_branch":{"previous":"develop","current":"main"}}""", payload["changes"]!.ToJsonString());
    }

    [Fact]
    public void Build_Reopened_ReopenWithStateChange()
    {
        var payload = Build(Event(MergeRequestEventKind.Reopened));

        Assert.Equal("reopen", (string?)payload["object_attributes"]!["action"]);
        Assert.Equal("""{"state_id":{"previous":2,"current":1}}""", payload["changes"]!.ToJsonString());
    }

    [Theory]
    [InlineData(MergeRequestEventKind.RetryRequested)]
    [InlineData(MergeRequestEventKind.CheckApplied)]
    public void Build_CheckEvents_AnnouncedAsUpdate(MergeRequestEventKind kind) =>
        Assert.Equal("update", (string?)Build(Event(kind))["object_attributes"]!["action"]);

    [Fact]
    public void Build_AdministratorActs_RootLikeUserWithoutId()
    {
        var payload = JsonNode.Parse(payloads.Build(new HookContext(Event() with { Actor = "admin" }, Project, MergeRequest(), Check(10).Entity, null)))!;

        Assert.Equal("""{"id":null,"name":"Administrator","username":"root","avatar_url":null,"email":"[REDACTED]"}""", payload["user"]!.ToJsonString());
    }

    [Theory]
    [InlineData("user:42", 42L)]
    [InlineData("admin", null)]
    [InlineData("user:x", null)]
    public void UserId_Actor_Parsed(string actor, long? id) => Assert.Equal(id, MergeRequestHookPayload.UserId(actor));
}
