using System.Net;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.Api;

/// <summary>SPEC section 2 rules for a check itself: the secret, uniqueness, names, URLs and protected branches.</summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusCheckRulesTests(ServiceFixture service)
{
    private const string Secret = "very-secret-value-123";

    private readonly GitLabApi api = new(service);

    [Fact]
    public async Task SharedSecret_SetChangedRemoved_HmacFollowsAndSecretIsNeverReturned()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var (name, url) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());

        var created = await Send(project, HttpMethod.Post, project.ChecksPath, new { name, external_url = url, shared_secret = Secret }, HttpStatusCode.Created);
        var checkPath = $"{project.ChecksPath}/{created["id"]}";
        var renamed = await Send(project, HttpMethod.Put, checkPath, new { name = name + "-2" }, HttpStatusCode.OK);
        var listed = await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK);
        var removed = await Send(project, HttpMethod.Put, checkPath, new { shared_secret = "" }, HttpStatusCode.OK);
        var added = await Send(project, HttpMethod.Put, checkPath, new { shared_secret = Secret + "-new" }, HttpStatusCode.OK);

        StatusCheckProject.AssertCheck(created, project.Id, name, url, hmac: true);
        StatusCheckProject.AssertCheck(renamed, project.Id, name + "-2", url, hmac: true); // a PUT without the secret keeps it
        StatusCheckProject.AssertCheck(listed["items"]![0], project.Id, name + "-2", url, hmac: true);
        StatusCheckProject.AssertCheck(removed, project.Id, name + "-2", url, hmac: false);
        StatusCheckProject.AssertCheck(added, project.Id, name + "-2", url, hmac: true);
        foreach (var body in new[] { created, renamed, listed, removed, added })
        {
            Assert.DoesNotContain(Secret, body.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_WithoutSecret_HmacFalse()
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var created = await project.CheckAsync();

        Assert.False(created["hmac"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("external_url")]
    public async Task Create_DuplicateNameOrUrl_Is400TakenForThatField(string field)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();
        var duplicate = field == "name"
            ? new { name = first["name"]!.GetValue<string>(), external_url = StatusCheckProject.NewUrl() }
            : new { name = StatusCheckProject.NewName(), external_url = first["external_url"]!.GetValue<string>() };

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, duplicate);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($$$"""{"message":{"{{{field}}}":["has already been taken"]}}""", body!.ToJsonString());
        Assert.Single((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task Update_ToAnotherChecksNameOrUrl_Is400Taken_OwnValuesAreFine()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();
        var second = await project.CheckAsync();
        var secondPath = $"{project.ChecksPath}/{second["id"]}";

        var (nameStatus, nameBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, secondPath, new { name = first["name"]!.GetValue<string>() });
        var (urlStatus, urlBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, secondPath, new { external_url = first["external_url"]!.GetValue<string>() });
        var same = await Send(project, HttpMethod.Put, secondPath, new { name = second["name"]!.GetValue<string>(), external_url = second["external_url"]!.GetValue<string>() }, HttpStatusCode.OK);

        Assert.Equal((HttpStatusCode.BadRequest, """{"message":{"name":["has already been taken"]}}"""), (nameStatus, nameBody!.ToJsonString()));
        Assert.Equal((HttpStatusCode.BadRequest, """{"message":{"external_url":["has already been taken"]}}"""), (urlStatus, urlBody!.ToJsonString()));
        Assert.Equal(second["name"]!.GetValue<string>(), same["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Uniqueness_IsPerProject_AndFreedByRenameAndDelete()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var other = await StatusCheckProject.CreateAsync(api);
        var (name, url) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());
        var first = await Send(project, HttpMethod.Post, project.ChecksPath, new { name, external_url = url }, HttpStatusCode.Created);

        await Send(other, HttpMethod.Post, other.ChecksPath, new { name, external_url = url }, HttpStatusCode.Created);
        await Send(project, HttpMethod.Put, $"{project.ChecksPath}/{first["id"]}", new { name = name + "-renamed", external_url = url + "/renamed" }, HttpStatusCode.OK);
        var second = await Send(project, HttpMethod.Post, project.ChecksPath, new { name, external_url = url }, HttpStatusCode.Created);
        await Send(project, HttpMethod.Delete, $"{project.ChecksPath}/{second["id"]}", null, HttpStatusCode.NoContent);
        var third = await Send(project, HttpMethod.Post, project.ChecksPath, new { name, external_url = url }, HttpStatusCode.Created);

        Assert.Equal(name, third["name"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string?> Names => new()
    {
        { "a", "", null },
        { new string('n', 255), "", null },
        { "Security scan (ünïcode) ✓", "", null },
        { "", "name", "can't be blank" },
        { "   ", "name", "can't be blank" },
        { new string('n', 256), "name", "is too long (maximum is 255 characters)" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Create_Name_1To255CharactersAccepted(string name, string field, string? reason) =>
        await AssertCreateAsync(new { name, external_url = StatusCheckProject.NewUrl() }, field, reason, name: name);

    public static TheoryData<string, string?> Urls => new()
    {
        { "http://ci.example.com/status", null },
        { "https://ci.example.com:8443/hooks/status?token=abc", null },
        { "https://ci.example.com/" + new string('a', 2048 - "https://ci.example.com/".Length), null },
        { "https://ci.example.com/" + new string('a', 2049 - "https://ci.example.com/".Length), "is too long (maximum is 2048 characters)" },
        { "ftp://ci.example.com/status", "is blocked: Only allowed schemes are http, https" },
        { "javascript:alert(1)", "is not a valid URL" }, // no host
        { "/relative/path", "is not a valid URL" },
        { "not a url", "is not a valid URL" },
        { "", "can't be blank" },
        { "https://user:password@ci.example.com/status", "must not contain credentials" },
        { "https://token@ci.example.com/status", "must not contain credentials" },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Create_ExternalUrl_OnlyAbsoluteHttpHttpsUpTo2048WithoutCredentials(string url, string? reason) =>
        await AssertCreateAsync(new { name = StatusCheckProject.NewName(), external_url = url }, "external_url", reason, url: url);

    [Theory]
    [InlineData("name", "")]
    [InlineData("external_url", "ftp://ci.example.com/status")]
    [InlineData("external_url", "https://user:password@ci.example.com/status")]
    public async Task Update_InvalidValue_Is400AndLeavesTheCheckUnchanged(string field, string value)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var check = await project.CheckAsync();

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, $"{project.ChecksPath}/{check["id"]}", new Dictionary<string, string> { [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body!["message"]![field] is JsonArray { Count: 1 }, body.ToJsonString());
        var listed = (await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]![0]!;
        Assert.Equal(check.ToJsonString(), listed.ToJsonString());
    }

    [Fact]
    public async Task ProtectedBranchIds_OwnBranches_AreResolvedIntoObjects()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var main = await project.ProtectedBranchAsync("main");
        var release = await project.ProtectedBranchAsync("release/*");
        var (name, url) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());

        var created = await Send(project, HttpMethod.Post, project.ChecksPath, new { name, external_url = url, protected_branch_ids = new[] { main, release } }, HttpStatusCode.Created);
        var narrowed = await Send(project, HttpMethod.Put, $"{project.ChecksPath}/{created["id"]}", new { protected_branch_ids = new[] { release } }, HttpStatusCode.OK);
        var cleared = await Send(project, HttpMethod.Put, $"{project.ChecksPath}/{created["id"]}", new { protected_branch_ids = Array.Empty<long>() }, HttpStatusCode.OK);

        StatusCheckProject.AssertCheck(created, project.Id, name, url, hmac: false, main, release);
        Assert.Equal(["main", "release/*"], created["protected_branches"]!.AsArray().Select(b => b!["name"]!.GetValue<string>()));
        StatusCheckProject.AssertCheck(narrowed, project.Id, name, url, hmac: false, release);
        StatusCheckProject.AssertCheck(cleared, project.Id, name, url, hmac: false);
    }

    [Fact]
    public async Task ProtectedBranchIds_OfAnotherProjectOrUnknown_Is400NamingTheField()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var other = await StatusCheckProject.CreateAsync(api);
        var own = await project.ProtectedBranchAsync("main");
        var foreign = await other.ProtectedBranchAsync("main");
        var check = await project.CheckAsync();

        var create = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath,
            new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl(), protected_branch_ids = new[] { own, foreign } });
        var update = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, $"{project.ChecksPath}/{check["id"]}", new { protected_branch_ids = new[] { foreign } });
        var unknown = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath,
            new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl(), protected_branch_ids = new[] { long.MaxValue } });

        foreach (var (status, body, _) in new[] { create, update, unknown })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.True(body!["message"]!["protected_branch_ids"] is JsonArray { Count: > 0 }, body.ToJsonString());
        }

        Assert.Single((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    /// <summary>Creates a check; with a <paramref name="reason"/> expects 400 naming <paramref name="field"/>, else 201 echoing the value.</summary>
    private async Task AssertCreateAsync(object body, string field, string? reason, string? name = null, string? url = null)
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var (status, response, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, body);

        if (reason is not null)
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(new JsonObject { ["message"] = new JsonObject { [field] = new JsonArray(reason) } }.ToJsonString(), response!.ToJsonString());
            return;
        }

        Assert.Equal(HttpStatusCode.Created, status);
        if (name is not null)
        {
            Assert.Equal(name, response!["name"]!.GetValue<string>());
        }

        if (url is not null)
        {
            Assert.Equal(url, response!["external_url"]!.GetValue<string>());
        }
    }

    private static Task<JsonObject> Send(StatusCheckProject project, HttpMethod method, string path, object? body, HttpStatusCode expected) =>
        GitLabApi.SendAsync(project.MaintainerClient, method, path, body, expected);
}
