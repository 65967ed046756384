using System.Net;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.StatusChecks;

/// <summary>docs/API.md (External status checks) rules for a check itself: the secret, uniqueness, names, URLs and protected branches.</summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusCheckRulesTests(ServiceFixture service)
{
    private const string Secret = "very-secret-value-123";

    private readonly GitLabApi api = new(service.Host);

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
    public async Task Create_DuplicateNameOrUrl_Is422WithTheFullMessage(string field)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();
        var duplicate = field == "name"
            ? new { name = first["name"]!.GetValue<string>(), external_url = StatusCheckProject.NewUrl() }
            : new { name = StatusCheckProject.NewName(), external_url = first["external_url"]!.GetValue<string>() };

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, duplicate);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(field == "name" ? """{"message":["Name has already been taken"]}""" : """{"message":["External url has already been taken"]}""", body!.ToJsonString());
        Assert.Single((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_DuplicateNameAndUrl_Is422WithBothMessages()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath,
            new { name = first["name"]!.GetValue<string>(), external_url = first["external_url"]!.GetValue<string>() });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["External url has already been taken","Name has already been taken"]}"""), (status, body!.ToJsonString()));
        Assert.Single((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task Update_ToAnotherChecksNameOrUrl_Is422Taken_OwnValuesAreFine()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();
        var second = await project.CheckAsync();
        var secondPath = $"{project.ChecksPath}/{second["id"]}";

        var (nameStatus, nameBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, secondPath, new { name = first["name"]!.GetValue<string>() });
        var (urlStatus, urlBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, secondPath, new { external_url = first["external_url"]!.GetValue<string>() });
        var same = await Send(project, HttpMethod.Put, secondPath, new { name = second["name"]!.GetValue<string>(), external_url = second["external_url"]!.GetValue<string>() }, HttpStatusCode.OK);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["Name has already been taken"]}"""), (nameStatus, nameBody!.ToJsonString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["External url has already been taken"]}"""), (urlStatus, urlBody!.ToJsonString()));
        Assert.Equal(second["name"]!.GetValue<string>(), same["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_IfUnmodifiedSince_412WhenChangedAfterAndNothingDeleted_204Otherwise()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = $"{project.ChecksPath}/{(await project.CheckAsync())["id"]}";
        var second = $"{project.ChecksPath}/{(await project.CheckAsync())["id"]}";

        // GitLab compares the check's updated_at with the header's time: a time before the last change refuses.
        var stale = await DeleteAsync(first, DateTimeOffset.UtcNow.AddMinutes(-5).ToString("R"));
        Assert.Equal((HttpStatusCode.PreconditionFailed, """{"message":"412 Precondition Failed"}"""), stale);
        Assert.Equal(2, (await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(first, DateTimeOffset.UtcNow.AddMinutes(5).ToString("R"))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(second, "not a date")).Status); // unreadable: ignored, as GitLab does
        Assert.Empty((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());

        async Task<(HttpStatusCode Status, string Body)> DeleteAsync(string target, string since)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, target);
            request.Headers.TryAddWithoutValidation("If-Unmodified-Since", since);
            var response = await GitLabApi.CallAsync(project.MaintainerClient, request);
            return (response.Status, response.Text);
        }
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

    public static TheoryData<string, string[]> Names => new()
    {
        { "a", [] },
        { new string('n', 255), [] },
        { "Security scan (ünïcode) ✓", [] },
        { "", ["Name can't be blank"] },
        { "   ", ["Name can't be blank"] },
        { new string('n', 256), ["Name is too long (maximum is 255 characters)"] },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Create_Name_1To255CharactersAccepted(string name, string[] messages) =>
        await AssertCreateAsync(new { name, external_url = StatusCheckProject.NewUrl() }, messages, name: name);

    public static TheoryData<string, string[]> Urls => new()
    {
        { "http://ci.example.com/status", [] },
        { "https://ci.example.com:8443/hooks/status?token=abc", [] },
        { "https://ci.example.com/" + new string('a', 2048 - "https://ci.example.com/".Length), [] },
        { "https://ci.example.com/" + new string('a', 2049 - "https://ci.example.com/".Length), ["External url is too long (maximum is 2048 characters)"] },
        { "ftp://ci.example.com/status", ["External url is blocked: Only allowed schemes are http, https"] },
        { "javascript:alert(1)", ["External url is blocked: Only allowed schemes are http, https"] },
        { "/relative/path", ["External url is blocked: Only allowed schemes are http, https"] },
        { "not a url", ["External url is blocked: Only allowed schemes are http, https"] },
        { "", ["External url can't be blank", "External url must be a valid URL"] },
        { "https://user:password@ci.example.com/status", ["External url must not contain credentials"] },
        { "https://token@ci.example.com/status", ["External url must not contain credentials"] },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Create_ExternalUrl_OnlyAbsoluteHttpHttpsUpTo2048WithoutCredentials(string url, string[] messages) =>
        await AssertCreateAsync(new { name = StatusCheckProject.NewName(), external_url = url }, messages, url: url);

    [Fact]
    public async Task Create_ExternalUrlWithSurroundingSpaces_StoredStrippedAsGitLab()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var url = StatusCheckProject.NewUrl();

        var created = await Send(project, HttpMethod.Post, project.ChecksPath, new { name = StatusCheckProject.NewName(), external_url = "  " + url + " " }, HttpStatusCode.Created);

        Assert.Equal(url, created["external_url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("s", true)]
    public async Task Create_SharedSecret_BlankMeansNoSecret(string secret, bool hmac)
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var created = await project.CheckAsync(sharedSecret: secret);

        Assert.Equal(hmac, created["hmac"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Create_SharedSecret_LongerThan255Is422()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        await project.CheckAsync(sharedSecret: new string('s', 255));

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath,
            new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl(), shared_secret = new string('s', 256) });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["Shared secret is too long (maximum is 255 characters)"]}"""), (status, body!.ToJsonString()));
        Assert.Single((await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("name", "", "Name can't be blank")]
    [InlineData("external_url", "ftp://ci.example.com/status", "External url is blocked: Only allowed schemes are http, https")]
    [InlineData("external_url", "https://user:password@ci.example.com/status", "External url must not contain credentials")]
    public async Task Update_InvalidValue_Is422AndLeavesTheCheckUnchanged(string field, string value, string message)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var check = await project.CheckAsync();

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, $"{project.ChecksPath}/{check["id"]}", new Dictionary<string, string> { [field] = value });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, new JsonObject { ["message"] = new JsonArray(message) }.ToJsonString()), (status, body!.ToJsonString()));
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
    public async Task ProtectedBranchIds_OfAnotherProjectOrUnknown_Is422AndNothingChanges()
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

        // GitLab answers an unknown id with 404 (the association cannot load it); one 422 for both keeps it simple (README).
        foreach (var (status, body, _) in new[] { create, update, unknown })
        {
            Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["all protected branches must exist within the project"]}"""), (status, body!.ToJsonString()));
        }

        var listed = (await Send(project, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(check.ToJsonString(), Assert.Single(listed)!.ToJsonString());
    }

    /// <summary>Creates a check; with <paramref name="messages"/> expects 422 with exactly those full messages, else 201 echoing the value.</summary>
    private async Task AssertCreateAsync(object body, string[] messages, string? name = null, string? url = null)
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var (status, response, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, body);

        if (messages.Length > 0)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Equal(new JsonObject { ["message"] = new JsonArray([.. messages.Select(m => (JsonNode)m)]) }.ToJsonString(), response!.ToJsonString());
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
