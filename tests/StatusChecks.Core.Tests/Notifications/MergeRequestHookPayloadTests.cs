using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;
using static StatusChecks.Core.Tests.Notifications.NotificationTestData;

namespace StatusChecks.Core.Tests.Notifications;

public sealed partial class MergeRequestHookPayloadTests
{
    /// <summary>GitLab's documented Merge Request Hook example (see Fixtures/README.md).</summary>
    private static readonly JsonObject GitLabExample =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notifications", "Fixtures", "gitlab-merge-request-hook.json")))!.AsObject();

    /// <summary>
    /// Keys we send beyond the documented example: the rule GitLab adds for status checks, and keys GitLab's own
    /// builders send that the example lacks (<c>Gitlab::HookData::MergeRequestBuilder</c>'s safe attributes,
    /// <c>Project#hook_attrs</c>'s <c>id</c> and <c>ci_config_path</c> in <c>source</c>/<c>target</c>).
    /// </summary>
    private static readonly Dictionary<string, string[]> ExtraKeys = new()
    {
        [""] = ["external_approval_rule"],
        ["object_attributes"] = ["head_pipeline_id", "merge_commit_sha", "merge_error", "merge_params", "merge_user_id", "merge_when_pipeline_succeeds", "time_estimate", "updated_by_id"],
        ["object_attributes.source"] = ["id", "ci_config_path"],
        ["object_attributes.target"] = ["id", "ci_config_path"],
    };

    /// <summary>Values GitLab's example has that StatusChecks genuinely has none of: null where the example has a value.</summary>
    private static readonly HashSet<string> NullWhereGitLabHasAValue =
    [
        "user.avatar_url", // no avatars
        "project.ci_config_path", // no CI configuration
        "object_attributes.assignee_id", // no assignees
        "object_attributes.last_edited_at", // edits are not tracked
        "object_attributes.last_edited_by_id",
        "object_attributes.human_total_time_spent", // no time tracking
        "object_attributes.human_time_change",
        "object_attributes.human_time_estimate",
        "object_attributes.last_commit.timestamp", // only the commit's sha is known
        "object_attributes.description", // an MR created without one: GitLab's nil
    ];

    /// <summary>Timestamps GitLab writes as <c>2026-11-25 10:00:00 UTC</c> in hooks.</summary>
    private static readonly string[] TimestampPaths = ["object_attributes.created_at", "object_attributes.updated_at", "object_attributes.prepared_at"];

    private static readonly ProjectEntity Project = new() { Id = 7, Name = "Demo", Path = "demo", Namespace = "root", CreatedAt = Now };
    private static readonly UserEntity Author = new() { Id = 42, Username = "alice", Name = "Alice", Email = "alice@example.com" };

    private readonly MergeRequestHookPayload payloads = new(new Shapes(Options.Create(new StatusChecksOptions { WebBaseUrl = new Uri("https://gitlab.example") })));

    public static TheoryData<MergeRequestEventKind> AllKinds => new(Enum.GetValues<MergeRequestEventKind>());

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Build_EveryEvent_GitLabsDocumentedKeysAndValueKinds(MergeRequestEventKind kind)
    {
        var payload = Build(EventOf(kind), StoredFor(kind));
        var differences = new List<string>();

        Compare(GitLabExample, payload, "", differences);

        Assert.Empty(differences);
        Assert.Equal(kind != MergeRequestEventKind.RetryRequested, payload["object_attributes"]!.AsObject().ContainsKey("action"));
    }

    [Fact]
    public void Build_Opened_ValuesOfTheMergeRequestProjectAndRule()
    {
        var payload = Build(Event(MergeRequestEventKind.Opened, revision: 1), MergeRequest());

        Assert.Equal(("merge_request", "merge_request"), ((string?)payload["object_kind"], (string?)payload["event_type"]));
        Assert.Equal("""{"id":42,"name":"Alice","username":"alice","avatar_url":null,"email":"[REDACTED]"}""", payload["user"]!.ToJsonString());
        var project = payload["project"]!;
        Assert.Equal((7L, "Demo", "root/demo", "https://gitlab.example/root/demo", "root", "main"), ((long)project["id"]!, (string?)project["name"], (string?)project["path_with_namespace"], (string?)project["web_url"], (string?)project["namespace"], (string?)project["default_branch"]));
        Assert.Equal(("https://gitlab.example/root/demo.git", "git@gitlab.example:root/demo.git"), ((string?)project["git_http_url"], (string?)project["git_ssh_url"]));
        var attributes = payload["object_attributes"]!;
        Assert.Equal((501L, 1L, "Add feature", "opened", 1, "open"), ((long)attributes["id"]!, (long)attributes["iid"]!, (string?)attributes["title"], (string?)attributes["state"], (int)attributes["state_id"]!, (string?)attributes["action"]));
        Assert.Equal(("feature", "main", 7L, 7L, 42L), ((string?)attributes["source_branch"], (string?)attributes["target_branch"], (long)attributes["source_project_id"]!, (long)attributes["target_project_id"]!, (long)attributes["author_id"]!));
        Assert.Equal(("2026-11-25 09:00:00 UTC", "2026-11-25 10:00:00 UTC"), ((string?)attributes["created_at"], (string?)attributes["updated_at"]));
        Assert.Equal(("can_be_merged", "mergeable"), ((string?)attributes["merge_status"], (string?)attributes["detailed_merge_status"]));
        Assert.Equal(JsonValueKind.Null, attributes["description"]?.GetValueKind() ?? JsonValueKind.Null); // never given: null, as GitLab's
        Assert.True(attributes.AsObject().ContainsKey("description"));
        Assert.Equal("https://gitlab.example/root/demo/-/merge_requests/1", (string?)attributes["url"]);
        Assert.Equal(project.ToJsonString(), attributes["source"]!.ToJsonString());
        Assert.Equal(project.ToJsonString(), attributes["target"]!.ToJsonString());
        Assert.Equal(Sha.A, (string?)attributes["last_commit"]!["id"]);
        Assert.Equal($"https://gitlab.example/root/demo/-/commit/{Sha.A}", (string?)attributes["last_commit"]!["url"]);
        Assert.False(attributes.AsObject().ContainsKey("oldrev"));
        Assert.Empty(payload["changes"]!.AsObject());
        Assert.Equal(("Demo", "https://gitlab.example/root/demo.git"), ((string?)payload["repository"]!["name"], (string?)payload["repository"]!["url"]));
        Assert.Equal("""{"id":10,"name":"QA","external_url":"https://ci.example/10"}""", payload["external_approval_rule"]!.ToJsonString());
    }

    [Fact]
    public void Build_DetailedMergeStatus_TheOneComputedAtFanOut()
    {
        var payload = Build(Event(), MergeRequest(), DetailedMergeStatuses.StatusChecksMustPass);

        Assert.Equal(DetailedMergeStatuses.StatusChecksMustPass, (string?)payload["object_attributes"]!["detailed_merge_status"]);
    }

    [Fact]
    public void Build_NewCommit_UpdateWithOldrevAndUpdatedAt()
    {
        var payload = Build(Event(MergeRequestEventKind.Updated) with { PreviousUpdatedAt = Now.AddMinutes(-5) }, MergeRequest());

        Assert.Equal("update", (string?)payload["object_attributes"]!["action"]);
        Assert.Equal(Sha.B, (string?)payload["object_attributes"]!["oldrev"]);
        Assert.Equal("""{"updated_at":{"previous":"2026-11-25 09:55:00 UTC","current":"2026-11-25 10:00:00 UTC"}}""", payload["changes"]!.ToJsonString());
        Assert.Equal(42L, (long?)payload["object_attributes"]!["updated_by_id"]);
    }

    [Fact]
    public void Build_NewTarget_ChangesNameIt()
    {
        var payload = Build(Event() with { PreviousSha = null, PreviousTargetBranch = "develop" }, MergeRequest());

        Assert.Equal("""{"target_branch":{"previous":"develop","current":"main"}}""", payload["changes"]!.ToJsonString());
    }

    [Fact]
    public void Build_TitleEdit_UpdateWithTheTitleChange()
    {
        var payload = Build(Event() with { PreviousSha = null, PreviousTitle = "Draft feature" }, MergeRequest());

        Assert.Equal("update", (string?)payload["object_attributes"]!["action"]);
        Assert.Equal("""{"title":{"previous":"Draft feature","current":"Add feature"}}""", payload["changes"]!.ToJsonString());
    }

    [Fact]
    public void Build_DescriptionEdit_UpdateWithTheDescriptionChangeFromTheStoredMergeRequest()
    {
        var payload = Build(Event() with { PreviousSha = null, DescriptionChanged = true }, MergeRequest() with { Description = "Why: \"quotes\" <b>", PreviousDescription = "Draft" });

        Assert.Equal("update", (string?)payload["object_attributes"]!["action"]);
        Assert.Equal("Why: \"quotes\" <b>", (string?)payload["object_attributes"]!["description"]);
        var change = payload["changes"]!["description"]!;
        Assert.Equal(("Draft", "Why: \"quotes\" <b>"), ((string?)change["previous"], (string?)change["current"]));
        Assert.Equal(["description"], payload["changes"]!.AsObject().Select(pair => pair.Key));
    }

    [Fact]
    public void Build_EveryTextAtItsLongestAndWorstEscaped_FitsTheDeliveryRow()
    {
        // Control characters escape to 6 bytes (\u0001); "<" too (\u003C); paths and namespaces are ASCII-safe.
        var longest = new string('<', Rules.MaxNameLength);
        var description = new string('\u0001', Rules.MaxDescriptionLength);
        var project = Project with { Name = longest, Path = new string('p', Rules.MaxNameLength), Namespace = new string('n', Rules.MaxNameLength) };
        var stored = MergeRequest() with { Title = longest, SourceBranch = longest, TargetBranch = longest, Description = description, PreviousDescription = description };
        var mergeRequestEvent = Event() with { TargetBranch = longest, PreviousTitle = longest, PreviousTargetBranch = longest, PreviousUpdatedAt = Now, DescriptionChanged = true };
        var check = Check(10).Entity with { Name = longest, ExternalUrl = "https://ci.example/" + new string('<', Rules.MaxUrlLength) };
        var actor = Author with { Name = longest, Username = new string('u', Rules.MaxNameLength) };

        var body = Body(new HookContext(mergeRequestEvent, project, stored, actor), check);

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(body), 18 * Rules.MaxDescriptionLength, DeliveryPayload.MaxBytes);
    }

    [Fact]
    public void Build_FirstDescription_PreviousIsNull()
    {
        var payload = Build(Event() with { PreviousSha = null, DescriptionChanged = true }, MergeRequest() with { Description = "Now described" });

        Assert.Equal("""{"description":{"previous":null,"current":"Now described"}}""", payload["changes"]!.ToJsonString());
    }

    [Fact]
    public void Build_DescriptionNotFlagged_NoDescriptionChangeEvenWithAPreviousStored()
    {
        var payload = Build(Event() with { PreviousSha = null, PreviousTitle = "Old" }, MergeRequest() with { Description = "Same", PreviousDescription = "Older" });

        Assert.False(payload["changes"]!.AsObject().ContainsKey("description"));
        Assert.Equal("Same", (string?)payload["object_attributes"]!["description"]);
    }

    [Theory]
    [InlineData(MergeRequestEventKind.Reopened, MergeRequestStates.Closed, MergeRequestStates.Opened, "reopen", 2, 1)]
    [InlineData(MergeRequestEventKind.Closed, MergeRequestStates.Opened, MergeRequestStates.Closed, "close", 1, 2)]
    [InlineData(MergeRequestEventKind.Merged, MergeRequestStates.Opened, MergeRequestStates.Merged, "merge", 1, 3)]
    public void Build_StateChange_ActionAndStateIdChange(MergeRequestEventKind kind, string before, string after, string action, int previousStateId, int stateId)
    {
        var payload = Build(Event(kind) with { PreviousState = before }, MergeRequest() with { State = after });

        var attributes = payload["object_attributes"]!;
        Assert.Equal((action, after, stateId), ((string?)attributes["action"], (string?)attributes["state"], (int)attributes["state_id"]!));
        Assert.Equal($$$"""{"state_id":{"previous":{{{previousStateId}}},"current":{{{stateId}}}}}""", payload["changes"]!.ToJsonString());
    }

    [Fact]
    public void Build_Merged_MergeUserIsTheActor()
    {
        var payload = Build(Event(MergeRequestEventKind.Merged) with { Actor = "user:43" }, MergeRequest() with { State = MergeRequestStates.Merged }, DetailedMergeStatuses.NotOpen);

        Assert.Equal(43L, (long?)payload["object_attributes"]!["merge_user_id"]);
        Assert.Equal(DetailedMergeStatuses.NotOpen, (string?)payload["object_attributes"]!["detailed_merge_status"]);
    }

    [Fact]
    public void Build_Retry_NoActionAsGitLab()
    {
        var payload = Build(Event(MergeRequestEventKind.RetryRequested), MergeRequest());

        Assert.False(payload["object_attributes"]!.AsObject().ContainsKey("action"));
        Assert.Empty(payload["changes"]!.AsObject());
    }

    [Fact]
    public void Build_CheckApplied_AnnouncedAsUpdate() =>
        Assert.Equal("update", (string?)Build(Event(MergeRequestEventKind.CheckApplied), MergeRequest())["object_attributes"]!["action"]);

    [Fact]
    public void Build_SharedPartAndTail_AreTheBytesOfOneObjectWithTheRuleLast()
    {
        var body = Body(new HookContext(Event(), Project, MergeRequest(), Author), Check(10).Entity with { Name = "Q\"A <é>" });

        var parsed = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(body, parsed.ToJsonString());
        Assert.Equal("external_approval_rule", parsed.Last().Key);
        Assert.Equal("Q\"A <é>", (string?)parsed["external_approval_rule"]!["name"]);
    }

    [Fact]
    public void Build_AdministratorActsAndAuthors_RootWithItsId()
    {
        var context = new HookContext(Event() with { Actor = "admin" }, Project, MergeRequest() with { Author = "admin" }, null);

        var payload = JsonNode.Parse(Body(context, Check(10).Entity))!;

        Assert.Equal("""{"id":1,"name":"Administrator","username":"root","avatar_url":null,"email":"[REDACTED]"}""", payload["user"]!.ToJsonString());
        Assert.Equal(Administrator.UserId, (long)payload["object_attributes"]!["author_id"]!);
    }

    [Theory]
    [InlineData(MergeRequestEventKind.Opened, "open")]
    [InlineData(MergeRequestEventKind.Reopened, "reopen")]
    [InlineData(MergeRequestEventKind.Updated, "update")]
    [InlineData(MergeRequestEventKind.Closed, "close")]
    [InlineData(MergeRequestEventKind.Merged, "merge")]
    [InlineData(MergeRequestEventKind.CheckApplied, "update")]
    [InlineData(MergeRequestEventKind.RetryRequested, "retry")]
    public void LogAction_Kind_TheHooksActionOrRetry(MergeRequestEventKind kind, string action) =>
        Assert.Equal(action, MergeRequestHookPayload.LogAction(kind));

    [Theory]
    [InlineData("user:42", 42L)]
    [InlineData("admin", null)]
    [InlineData("user:x", null)]
    public void UserId_Actor_Parsed(string actor, long? id) => Assert.Equal(id, MergeRequestHookPayload.UserId(actor));

    [Fact]
    public void Timestamp_GitLabsHookForm() =>
        Assert.Equal("2026-11-25 10:00:00 UTC", MergeRequestHookPayload.Timestamp(new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.FromHours(1))));

    /// <summary>The event of each kind as the MR service raises it, with what its write changed.</summary>
    private static MergeRequestEvent EventOf(MergeRequestEventKind kind) => kind switch
    {
        MergeRequestEventKind.Opened => Event(kind, revision: 1),
        MergeRequestEventKind.Updated => Event(kind) with { PreviousTitle = "Old", PreviousTargetBranch = "develop", PreviousUpdatedAt = Now.AddMinutes(-1), DescriptionChanged = true },
        MergeRequestEventKind.Reopened => Event(kind) with { PreviousState = MergeRequestStates.Closed, PreviousUpdatedAt = Now.AddMinutes(-1) },
        MergeRequestEventKind.Closed => Event(kind) with { PreviousState = MergeRequestStates.Opened, PreviousUpdatedAt = Now.AddMinutes(-1) },
        MergeRequestEventKind.Merged => Event(kind) with { PreviousState = MergeRequestStates.Opened, PreviousUpdatedAt = Now.AddMinutes(-1) },
        _ => Event(kind),
    };

    private static MergeRequestEntity StoredFor(MergeRequestEventKind kind) => MergeRequest() with
    {
        Description = kind == MergeRequestEventKind.Updated ? "New description" : null,
        PreviousDescription = kind == MergeRequestEventKind.Updated ? "Old description" : null,
        State = kind switch
        {
            MergeRequestEventKind.Closed => MergeRequestStates.Closed,
            MergeRequestEventKind.Merged => MergeRequestStates.Merged,
            _ => MergeRequestStates.Opened,
        },
    };

    /// <summary>
    /// Our payload against GitLab's example: the same keys at every level (plus <see cref="ExtraKeys"/>; <c>action</c>
    /// only when GitLab sends one, <c>oldrev</c> only for new commits), values of the same JSON kind (null only where
    /// listed), arrays compared by their elements' shape when both have some, <c>changes</c> entry by entry (its keys
    /// depend on the event), timestamps in GitLab's hook form.
    /// </summary>
    private static void Compare(JsonObject gitlab, JsonObject ours, string path, List<string> differences)
    {
        var expected = gitlab.Select(pair => pair.Key).Concat(ExtraKeys.GetValueOrDefault(path, [])).ToHashSet();
        var actual = ours.Select(pair => pair.Key).ToHashSet();
        if (path == "object_attributes")
        {
            if (!ours.ContainsKey("action"))
            {
                expected.Remove("action"); // a retry has none, as GitLab's (the theory checks that only a retry lacks it)
            }

            actual.Remove("oldrev"); // GitLab's only when new commits were pushed
        }

        differences.AddRange(expected.Except(actual).Select(key => $"missing {Join(path, key)}"));
        differences.AddRange(actual.Except(expected).Select(key => $"unexpected {Join(path, key)}"));
        foreach (var key in expected.Intersect(actual))
        {
            var at = Join(path, key);
            var theirs = gitlab[key];
            var mine = ours[key];
            if (at == "changes")
            {
                CompareChanges(mine!.AsObject(), differences);
                continue;
            }

            if (!gitlab.ContainsKey(key))
            {
                continue; // a key only we send (ExtraKeys): any kind
            }

            if (Kind(mine) != Kind(theirs) && !(Kind(mine) == JsonValueKind.Null && NullWhereGitLabHasAValue.Contains(at)))
            {
                differences.Add($"{at}: {Kind(mine)} where GitLab has {Kind(theirs)}");
                continue;
            }

            if (TimestampPaths.Contains(at) && !HookTimestamp().IsMatch((string?)mine ?? ""))
            {
                differences.Add($"{at}: '{mine}' is not in GitLab's hook form");
            }

            switch (theirs, mine)
            {
                case (JsonObject theirObject, JsonObject myObject):
                    Compare(theirObject, myObject, at, differences);
                    break;
                case (JsonArray { Count: > 0 } theirArray, JsonArray { Count: > 0 } myArray) when theirArray[0] is JsonObject theirItem:
                    foreach (var item in myArray)
                    {
                        Compare(theirItem, item!.AsObject(), at + "[]", differences);
                    }

                    break;
            }
        }
    }

    /// <summary>Each change is <c>{"previous", "current"}</c> of one kind; a time in GitLab's hook form.</summary>
    private static void CompareChanges(JsonObject changes, List<string> differences)
    {
        foreach (var (attribute, change) in changes)
        {
            var pair = change!.AsObject();
            if (!pair.Select(p => p.Key).SequenceEqual(["previous", "current"]) || Kind(pair["previous"]) != Kind(pair["current"]))
            {
                differences.Add($"changes.{attribute}: {pair.ToJsonString()}");
            }

            if (attribute.EndsWith("_at", StringComparison.Ordinal) && pair.Any(p => !HookTimestamp().IsMatch((string?)p.Value ?? "")))
            {
                differences.Add($"changes.{attribute}: not in GitLab's hook form");
            }
        }
    }

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.True or JsonValueKind.False => JsonValueKind.True, // one kind: boolean
        { } kind => kind,
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$")]
    private static partial Regex HookTimestamp();

    private JsonObject Build(MergeRequestEvent mergeRequestEvent, MergeRequestEntity stored, string detailedMergeStatus = DetailedMergeStatuses.Mergeable) =>
        JsonNode.Parse(Body(new HookContext(mergeRequestEvent, Project, stored, Author, detailedMergeStatus), Check(10).Entity with { Name = "QA" }))!.AsObject();

    /// <summary>The body a check receives, joined as a delivery joins it: the event's shared part, then the check's tail.</summary>
    private string Body(HookContext context, StatusCheckEntity check) =>
        new DeliveryEntity { SharedBody = payloads.Shared(context), BodyTail = MergeRequestHookPayload.Tail(check) }.Body;
}
