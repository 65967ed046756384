using System.Text;
using System.Text.Json.Nodes;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Bridge;

/// <summary>The receiver's reading of GitLab's documented Merge Request Hook example (Notifications/Fixtures/README.md).</summary>
public sealed class GitLabMergeRequestHookTests
{
    private static JsonObject Documented() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notifications", "Fixtures", "gitlab-merge-request-hook.json")))!.AsObject();

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    [Fact]
    public void DocumentedExample_ReadAsIs()
    {
        var hook = GitLabMergeRequestHook.Parse(Bytes(Documented()));

        Assert.Equal(
            new GitLabMergeRequestHook(1, 1, "open", "opened", "MS-Viewport", "", "ms-viewport", "master", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", new DateTimeOffset(2013, 12, 3, 17, 23, 34, TimeSpan.Zero)),
            hook);
        Assert.Equal(1, GitLabMergeRequestHook.ProjectId(Bytes(Documented())));
    }

    [Fact]
    public void GitLabsOwnTimeFormat_Read()
    {
        Assert.Equal(new DateTimeOffset(2017, 9, 15, 16, 50, 55, TimeSpan.Zero), GitLabMergeRequestHook.Time("2017-09-15 16:50:55 UTC", "t"));
        Assert.Equal(new DateTimeOffset(2012, 1, 3, 21, 36, 29, TimeSpan.Zero), GitLabMergeRequestHook.Time("2012-01-03T23:36:29+02:00", "t"));
    }

    [Fact]
    public void MergedAndLocked_States()
    {
        var hook = Documented();
        hook["object_attributes"]!["state"] = "locked";
        Assert.Equal(MergeRequestStates.Opened, GitLabMergeRequestHook.Parse(Bytes(hook)).State);
        hook["object_attributes"]!["state"] = "merged";
        Assert.Equal(MergeRequestStates.Merged, GitLabMergeRequestHook.Parse(Bytes(hook)).State);
    }

    [Theory]
    [InlineData("last_commit", "object_attributes.last_commit is missing")]
    [InlineData("iid", "object_attributes.iid is missing")]
    [InlineData("updated_at", "object_attributes.updated_at is missing")]
    public void MissingField_Named(string field, string message)
    {
        var hook = Documented();
        hook["object_attributes"]!.AsObject().Remove(field);

        Assert.Equal(message, Assert.Throws<FormatException>(() => GitLabMergeRequestHook.Parse(Bytes(hook))).Message);
    }

    [Fact]
    public void NotACommitId_Refused()
    {
        var hook = Documented();
        hook["object_attributes"]!["last_commit"]!["id"] = "main";

        Assert.Equal("object_attributes.last_commit.id is not a commit id", Assert.Throws<FormatException>(() => GitLabMergeRequestHook.Parse(Bytes(hook))).Message);
    }

    [Fact]
    public void OtherEvent_Refused()
    {
        Assert.Throws<FormatException>(() => GitLabMergeRequestHook.Parse("""{"object_kind":"push","project":{"id":1}}"""u8));
        Assert.Null(GitLabMergeRequestHook.ProjectId("not json"u8));
        Assert.Null(GitLabMergeRequestHook.ProjectId("""{"project":{"id":"1"}}"""u8));
    }

    [Fact]
    public void LongDescription_CutToWhatTheServiceKeeps()
    {
        var hook = Documented();
        hook["object_attributes"]!["description"] = new string('d', Rules.MaxDescriptionLength + 10);

        Assert.Equal(Rules.MaxDescriptionLength, GitLabMergeRequestHook.Parse(Bytes(hook)).Description!.Length);
    }

    [Fact]
    public void StoredForm_RoundTrips()
    {
        var hook = GitLabMergeRequestHook.Parse(Bytes(Documented()));

        Assert.Equal(hook, GitLabMergeRequestHook.FromJson(hook.ToJson()));
    }
}
