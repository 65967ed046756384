using System.Text;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>One API route: method, path template ({A}, {mr}, ... are resolved by <see cref="HostileWorld"/>), and who may call it.</summary>
public sealed record HostileRoute(string Name, string Method, string Path, TokenKind Allowed, TokenKind Below, string? Body = null)
{
    public bool IsWrite => Method != "GET";

    /// <summary>Only the instance administrator may call it (no project in the path).</summary>
    public bool IsAdminOnly => Allowed == TokenKind.Admin;
}

/// <summary>A request body: text (placeholders resolved) or raw bytes, with the Content-Type to send (null: none).</summary>
public sealed record CaseBody(string? Text, byte[]? Bytes, string? ContentType, bool Chunked = false);

/// <summary>
/// One hostile request and what it must get: always a 4xx with a GitLab JSON body ("message" or "error") and no
/// stored change; where docs/API.md pins it, the exact status (and body). <see cref="Transport"/>: refused by the HTTP
/// server before any function runs (Kestrel's 400/414 for a NUL in the path or an over-long request line), so
/// without the app's JSON body.
/// </summary>
public sealed record HostileCase(
    string Category,
    string Description,
    HostileRoute Route,
    TokenKind Token,
    string? Path = null,
    CaseBody? Body = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    int? Status = null,
    string? Json = null,
    bool Transport = false)
{
    public string Id => $"{Category}/{Description} @ {Route.Method} {Route.Name} as {Token}";

    public string Method => Route.Method;

    public string RequestPath => Path ?? Route.Path;
}

/// <summary>
/// The hostile request table: every route of docs/API.md (External status checks; Resources) (and the delivery log extension) under missing,
/// garbage, expired and revoked tokens, wrong roles and foreign projects, then malformed, oddly typed, oversized,
/// duplicated, unknown, injected and encoded inputs.
/// </summary>
public static class HostileCases
{
    public const string Unauthorized = """{"message":"401 Unauthorized"}""";
    public const string Forbidden = """{"message":"403 Forbidden"}""";
    public const string ProjectNotFound = """{"message":"404 Project Not Found"}""";
    public const string RouteNotFound = """{"error":"404 Not Found"}""";
    public const string MalformedJson = """{"message":"400 Bad request - malformed JSON"}""";
    public const string TooLarge = """{"message":"413 Request Entity Too Large"}""";
    public const string UnsupportedMediaType = """{"message":"415 Unsupported Media Type"}""";
    public const string RecordNotFound = """{"message":"404 Not found"}""";
    public const string NotAllowed = """{"message":["Not allowed"]}""";

    private const string ProjectBase = "v4/projects/{A}";
    private const string MrBase = ProjectBase + "/merge_requests/{mr}";
    private const string CheckBody = """{"name":"hostile-new","external_url":"https://example.com/hostile-new"}""";

    public static readonly HostileRoute CreateProject = new("projects", "POST", "v4/projects", TokenKind.Admin, TokenKind.Maintainer, """{"name":"hostile-new"}""");
    public static readonly HostileRoute GetProject = new("project", "GET", ProjectBase, TokenKind.Guest, TokenKind.NonMember);
    public static readonly HostileRoute UpdateProject = new("project", "PUT", ProjectBase, TokenKind.Maintainer, TokenKind.Developer, """{"only_allow_merge_if_all_status_checks_passed":true}""");
    public static readonly HostileRoute ListBranches = new("protected_branches", "GET", ProjectBase + "/protected_branches", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute CreateBranch = new("protected_branches", "POST", ProjectBase + "/protected_branches", TokenKind.Maintainer, TokenKind.Developer, """{"name":"release/*"}""");
    public static readonly HostileRoute DeleteBranch = new("protected_branch", "DELETE", ProjectBase + "/protected_branches/main", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute CreateMergeRequest = new(
        "merge_requests", "POST", ProjectBase + "/merge_requests", TokenKind.Developer, TokenKind.Reporter,
        """{"source_branch":"topic","target_branch":"main","title":"Hostile","sha":"0123456789abcdef0123456789abcdef01234567"}""");
    public static readonly HostileRoute GetMergeRequest = new("merge_request", "GET", MrBase, TokenKind.Reporter, TokenKind.Guest);
    public static readonly HostileRoute UpdateMergeRequest = new("merge_request", "PUT", MrBase, TokenKind.Developer, TokenKind.Reporter, """{"title":"Renamed"}""");
    public static readonly HostileRoute Merge = new("merge", "PUT", MrBase + "/merge", TokenKind.Developer, TokenKind.Reporter, """{"sha":"{sha}"}""");
    public static readonly HostileRoute CreateUser = new("users", "POST", "v4/users", TokenKind.Admin, TokenKind.Maintainer, """{"username":"hostile-new","name":"Hostile","email":"hostile-new@example.com"}""");
    public static readonly HostileRoute CreateToken = new("personal_access_tokens", "POST", "v4/users/{guest_user}/personal_access_tokens", TokenKind.Admin, TokenKind.Maintainer, """{"name":"t","scopes":["api"]}""");
    public static readonly HostileRoute ListMembers = new("members", "GET", ProjectBase + "/members", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute AddMember = new("members", "POST", ProjectBase + "/members", TokenKind.Maintainer, TokenKind.Developer, """{"user_id":{unrelated_user},"access_level":30}""");
    public static readonly HostileRoute RemoveMember = new("member", "DELETE", ProjectBase + "/members/{guest_user}", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute ListChecks = new("external_status_checks", "GET", ProjectBase + "/external_status_checks", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute CreateCheck = new("external_status_checks", "POST", ProjectBase + "/external_status_checks", TokenKind.Maintainer, TokenKind.Developer, CheckBody);
    public static readonly HostileRoute UpdateCheck = new("external_status_check", "PUT", ProjectBase + "/external_status_checks/{check}", TokenKind.Maintainer, TokenKind.Developer, """{"name":"renamed"}""");
    public static readonly HostileRoute DeleteCheck = new("external_status_check", "DELETE", ProjectBase + "/external_status_checks/{check}", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute ListMrChecks = new("mr_status_checks", "GET", MrBase + "/status_checks", TokenKind.Reporter, TokenKind.Guest);
    public static readonly HostileRoute Respond = new("status_check_responses", "POST", MrBase + "/status_check_responses", TokenKind.Developer, TokenKind.Reporter, """{"sha":"{sha}","external_status_check_id":{check},"status":"passed"}""");
    public static readonly HostileRoute Retry = new("retry", "POST", MrBase + "/status_checks/{check}/retry", TokenKind.Developer, TokenKind.Reporter);
    public static readonly HostileRoute ListDeliveries = new("deliveries", "GET", MrBase + "/status_checks/{check}/deliveries", TokenKind.Maintainer, TokenKind.Developer);
    public static readonly HostileRoute Redeliver = new("redeliver", "POST", MrBase + "/status_checks/{check}/deliveries/{delivery}/redeliver", TokenKind.Maintainer, TokenKind.Developer);

    public static IReadOnlyList<HostileRoute> Routes { get; } =
    [
        CreateProject, GetProject, UpdateProject, ListBranches, CreateBranch, DeleteBranch, CreateMergeRequest, GetMergeRequest, UpdateMergeRequest,
        Merge, CreateUser, CreateToken, ListMembers, AddMember, RemoveMember, ListChecks, CreateCheck, UpdateCheck, DeleteCheck, ListMrChecks,
        Respond, Retry, ListDeliveries, Redeliver,
    ];

    /// <summary>Every case, keyed by its unique <see cref="HostileCase.Id"/>.</summary>
    public static IReadOnlyDictionary<string, HostileCase> All { get; } = Build().ToDictionary(c => c.Id);

    public static IEnumerable<object[]> Ids => All.Keys.Select(id => new object[] { id });

    private static IEnumerable<HostileCase> Build() =>
        Auth().Concat(Roles()).Concat(BadIds()).Concat(Malformed()).Concat(WrongTypes()).Concat(Unicode()).Concat(Sizes())
            .Concat(Duplicates()).Concat(OData()).Concat(Paths()).Concat(Urls()).Concat(ContentTypes()).Concat(States());

    /// <summary>No, unknown, expired and revoked tokens, and tokens in odd places: 401 everywhere.</summary>
    private static IEnumerable<HostileCase> Auth()
    {
        foreach (var route in Routes)
        {
            foreach (var token in new[] { TokenKind.None, TokenKind.Garbage, TokenKind.Expired, TokenKind.Revoked })
            {
                yield return new("auth", "no valid token", route, token, Status: 401, Json: Unauthorized);
            }
        }

        IEnumerable<(string Description, string Name, string Value)> carriers =
        [
            ("bearer garbage", "Authorization", "Bearer glpat-0000000000000000000000"),
            ("basic instead of bearer", "Authorization", "Basic YWRtaW46YWRtaW4="),
            ("bearer without value", "Authorization", "Bearer "),
            ("empty private-token header", "PRIVATE-TOKEN", ""),
            ("OData private-token header", "PRIVATE-TOKEN", "' or 1 eq 1"),
            ("partition-key private-token header", "PRIVATE-TOKEN", "PartitionKey ne ''"),
        ];
        foreach (var (description, name, value) in carriers)
        {
            yield return new("auth", description, CreateCheck, TokenKind.None, Body: Json(CheckBody), Headers: [new(name, value)], Status: 401, Json: Unauthorized);
        }

        yield return new("auth", "garbage private_token query", ListChecks, TokenKind.None, Path: ListChecks.Path + "?private_token=glpat-nothing", Status: 401, Json: Unauthorized);
        yield return new("auth", "OData private_token query", ListChecks, TokenKind.None, Path: ListChecks.Path + "?private_token=%27)%20or%20(PartitionKey%20ne%20%27", Status: 401, Json: Unauthorized);
        yield return new("auth", "garbage access_token query", ListChecks, TokenKind.None, Path: ListChecks.Path + "?access_token=nothing", Status: 401, Json: Unauthorized);
        yield return new("auth", "private_token as JSON array", CreateCheck, TokenKind.None, Body: Json("""{"private_token":["x"],"name":"n","external_url":"https://example.com/x"}"""), Status: 401, Json: Unauthorized);
        yield return new("auth", "private_token as JSON object", CreateCheck, TokenKind.None, Body: Json("""{"private_token":{"$ne":""},"name":"n","external_url":"https://example.com/x"}"""), Status: 401, Json: Unauthorized);
    }

    /// <summary>Tokens of other projects (404, never 403), read_api on writes, and one role below each route's minimum.</summary>
    private static IEnumerable<HostileCase> Roles()
    {
        foreach (var route in Routes)
        {
            var body = route.Body is null ? null : Json(route.Body);
            yield return route.IsAdminOnly
                ? new("role", "other project's maintainer on an admin route", route, TokenKind.OtherProjectMaintainer, Body: body, Status: 403, Json: Forbidden)
                : new("role", "other project's maintainer", route, TokenKind.OtherProjectMaintainer, Body: body, Status: 404, Json: ProjectNotFound);
            yield return route.Below == TokenKind.NonMember
                ? new("role", "non-member", route, TokenKind.NonMember, Body: body, Status: 404, Json: ProjectNotFound)
                : BelowMinimum(route) is var (status, json)
                    ? new("role", "one role below the minimum", route, route.Below, Body: body, Status: status, Json: json)
                    : throw new InvalidOperationException();
            if (route.IsWrite)
            {
                yield return new("role", "read_api token on a write", route, TokenKind.ReadApi, Body: body, Status: 403, Json: Forbidden);
            }
        }

        foreach (var route in new[] { CreateCheck, Respond, GetMergeRequest, DeleteCheck })
        {
            if (route.Below != TokenKind.NonMember)
            {
                yield return new("role", "non-member", route, TokenKind.NonMember, Body: route.Body is null ? null : Json(route.Body), Status: 404, Json: ProjectNotFound);
            }
        }

        yield return new("role", "maintainer adds an owner", AddMember, TokenKind.Maintainer, Body: Json("""{"user_id":{unrelated_user},"access_level":50}"""), Status: 403, Json: Forbidden);
        yield return new("role", "guest on a reporter list", ListMrChecks, TokenKind.Guest, Status: 403, Json: Forbidden);
    }

    /// <summary>Project ids and sub-resource ids that cannot name anything: 404 with the thing's name.</summary>
    private static IEnumerable<HostileCase> BadIds()
    {
        string[] projectIds =
        [
            "0", "-1", "9223372036854775808", "99999999999999999999999", "18446744073709551616", "-9223372036854775808", "1e3", "0x1", "%2B{A}",
            "%EF%BC%91", "{A}.0", "{A}%20", "%20{A}", "{A}abc", "%E2%80%AE{A}",
        ];
        var projectRoutes = Routes.Where(route => !route.IsAdminOnly).ToList();
        for (var i = 0; i < projectIds.Length; i++)
        {
            // Every variant on GET project, and each also on a different route so every project route sees one.
            yield return new("ids", $"project id '{projectIds[i]}'", GetProject, TokenKind.Maintainer, Path: "v4/projects/" + projectIds[i], Status: 404, Json: ProjectNotFound);
            var route = projectRoutes[(i + 1) % projectRoutes.Count];
            yield return new("ids", $"project id '{projectIds[i]}'", route, route.Allowed, Path: route.Path.Replace("{A}", projectIds[i], StringComparison.Ordinal),
                Body: route.Body is null ? null : Json(route.Body), Status: 404, Json: ProjectNotFound);
        }

        foreach (var route in projectRoutes.Skip(projectIds.Length - 1))
        {
            yield return new("ids", "project id beyond 64 bits", route, route.Allowed, Path: route.Path.Replace("{A}", "99999999999999999999999", StringComparison.Ordinal),
                Body: route.Body is null ? null : Json(route.Body), Status: 404, Json: ProjectNotFound);
        }

        string[] badIds = ["0", "-1", "9223372036854775808", "99999999999999999999999", "abc", "1.5", "%201", "1e2", "999999999"];
        // A null thing: GitLab's generic 404 Not found (a check, a member, an MR).
        (HostileRoute Route, string Placeholder, string? Thing)[] targets =
        [
            (GetMergeRequest, "{mr}", null), (UpdateMergeRequest, "{mr}", null), (Merge, "{mr}", null),
            (ListMrChecks, "{mr}", null), (Respond, "{mr}", null), (Retry, "{mr}", null),
            (UpdateCheck, "{check}", null), (DeleteCheck, "{check}", null), (Retry, "{check}", null),
            (ListDeliveries, "{check}", "External Status Check"), (Redeliver, "{check}", "External Status Check"), (Redeliver, "{delivery}", "Delivery"),
            (ListDeliveries, "{mr}", "Merge Request"), (RemoveMember, "{guest_user}", null), (CreateToken, "{guest_user}", "User"),
        ];
        for (var i = 0; i < targets.Length; i++)
        {
            var (route, placeholder, thing) = targets[i];
            foreach (var id in new[] { badIds[i % badIds.Length], badIds[(i + 4) % badIds.Length] })
            {
                yield return new("ids", $"{placeholder} = '{id}'", route, route.Allowed, Path: route.Path.Replace(placeholder, id, StringComparison.Ordinal),
                    Body: route.Body is null ? null : Json(route.Body), Status: 404, Json: thing is null ? RecordNotFound : $$"""{"message":"404 {{thing}} Not Found"}""");
            }
        }

        // Ids of project B used inside project A.
        yield return new("ids", "other project's check", UpdateCheck, TokenKind.Maintainer, Path: ProjectBase + "/external_status_checks/{check_B}", Body: Json("""{"name":"x"}"""),
            Status: 404, Json: RecordNotFound);
        yield return new("ids", "other project's check", DeleteCheck, TokenKind.Maintainer, Path: ProjectBase + "/external_status_checks/{check_B}",
            Status: 404, Json: RecordNotFound);
        yield return new("ids", "other project's check", Respond, TokenKind.Developer, Body: Json("""{"sha":"{sha}","external_status_check_id":{check_B}}"""),
            Status: 404, Json: RecordNotFound);
        yield return new("ids", "other project's check", Retry, TokenKind.Developer, Path: MrBase + "/status_checks/{check_B}/retry",
            Status: 404, Json: RecordNotFound);
        yield return new("ids", "other project's branch", CreateCheck, TokenKind.Maintainer, Body: Json("""{"name":"n","external_url":"https://example.com/b","protected_branch_ids":[{branch_B}]}"""),
            Status: 422, Json: """{"message":["all protected branches must exist within the project"]}""");
        yield return new("ids", "other project's branch", UpdateCheck, TokenKind.Maintainer, Body: Json("""{"protected_branch_ids":[{branch},{branch_B}]}"""),
            Status: 422, Json: """{"message":["all protected branches must exist within the project"]}""");
        yield return new("ids", "unknown user", AddMember, TokenKind.Maintainer, Body: Json("""{"user_id":999999999,"access_level":30}"""), Status: 404, Json: """{"message":"404 User Not Found"}""");
        yield return new("ids", "not a member", RemoveMember, TokenKind.Maintainer, Path: ProjectBase + "/members/{unrelated_user}", Status: 404, Json: """{"message":"404 Not found"}""");
    }

    /// <summary>Bodies that are not a JSON object.</summary>
    private static IEnumerable<HostileCase> Malformed()
    {
        (string Description, CaseBody Body)[] bodies =
        [
            ("open brace", Json("{")),
            ("truncated after a key", Json("""{"name":""")),
            ("truncated string", Json("""{"name":"abc""")),
            ("trailing comma", Json("""{"name":"x",}""")),
            ("single quotes", Json("{'name':'x'}")),
            ("trailing garbage", Json("""{"name":"x"} trailing""")),
            ("array root", Json("[]")),
            ("string root", Json("\"name\"")),
            ("number root", Json("123")),
            ("whitespace only", Json("   ")),
            ("comment", Json("""{"name":"x" /* c */}""")),
            ("NaN literal", Json("""{"name":NaN}""")),
            ("raw control byte in a string", Json("{\"name\":\"a\u0001b\"}")),
            ("10000 nested arrays", Json(new string('[', 10_000) + new string(']', 10_000))),
            ("10000 nested objects", Json(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000))),
            ("UTF-16 with a charset", Raw(Encoding.Unicode.GetBytes("""{"name":"x"}"""), "application/json; charset=utf-16")),
            ("form body sent as JSON", Json("name=x&external_url=https://example.com")),
        ];
        HostileRoute[] writes = [CreateCheck, UpdateCheck, Respond, CreateMergeRequest, UpdateMergeRequest, CreateProject, AddMember, CreateBranch, CreateUser, CreateToken, UpdateProject, Merge];
        for (var i = 0; i < bodies.Length; i++)
        {
            var route = writes[i % writes.Length];
            yield return new("json", bodies[i].Description, route, route.Allowed, Body: bodies[i].Body, Status: 400, Json: MalformedJson);
        }

        // A null root is an empty body, as Grape reads it (go-gitlab sends one): the route's own "is missing" answers.
        yield return new("json", "null root", CreateToken, TokenKind.Admin, Body: Json("null"), Status: 400, Json: """{"error":"name is missing"}""");

        // Not malformed to the JSON reader (it checks UTF-8 only when a string is read): "<name> is invalid" or unknown.
        yield return new("json", "invalid UTF-8 in a string", CreateCheck, TokenKind.Maintainer, Body: Raw([.. "{\"name\":\""u8, 0xff, 0xfe, .. "\",\"external_url\":\"https://example.com/u\"}"u8], "application/json"),
            Status: 400, Json: """{"error":"name is invalid"}""");
        yield return new("json", "truncated", Retry, TokenKind.Developer, Body: Json("""{"x":"""), Status: 400, Json: MalformedJson);
        yield return new("json", "truncated", DeleteCheck, TokenKind.Maintainer, Body: Json("{"), Status: 400, Json: MalformedJson);
        yield return new("json", "truncated", Redeliver, TokenKind.Maintainer, Body: Json("[1,"), Status: 400, Json: MalformedJson);
    }

    /// <summary>Each parameter with a value of the wrong type: null, number, boolean, array, object, huge or negative numbers.</summary>
    private static IEnumerable<HostileCase> WrongTypes()
    {
        (HostileRoute Route, string Parameter, string[] Values)[] table =
        [
            (CreateCheck, "name", ["null", "123", "true", "[]", "[\"a\",\"b\"]", "{\"a\":1}", "\"\"", "\"   \""]),
            (CreateCheck, "external_url", ["null", "1", "false", "[\"https://example.com\"]", "{\"href\":\"https://example.com\"}", "\"\""]),
            (CreateCheck, "shared_secret", ["1", "true", "[\"s\"]", "{\"s\":1}"]),
            (CreateCheck, "protected_branch_ids", ["{\"a\":1}", "true", "[true]", "[[1]]", "[null]", "[\"abc\"]", "[1.5]", "[-1]", "[0]", "\"1,,2\"",
                "[9223372036854775808]", "[99999999999999999999999]"]),
            (UpdateCheck, "name", ["123", "[]", "{}", "\"\""]),
            (UpdateCheck, "external_url", ["false", "[]", "\"\""]),
            (UpdateCheck, "protected_branch_ids", ["[\"x\"]", "[-5]", "{}"]),
            (Respond, "external_status_check_id", ["null", "\"abc\"", "-1", "0", "1.5", "1e3", "9223372036854775808", "99999999999999999999999", "[{check}]",
                "{\"id\":{check}}", "true", "\"\""]),
            (Respond, "sha", ["null", "123", "[\"{sha}\"]", "{\"sha\":\"{sha}\"}"]),
            (Respond, "status", ["\"PASSED\"", "\"approved\"", "1", "[\"passed\"]", "{\"s\":\"passed\"}", "true"]),
            (CreateMergeRequest, "sha", ["null", "\"0123\"", "\"0123456789ABCDEF0123456789ABCDEF01234567\"", "123", "[]"]),
            (CreateMergeRequest, "source_branch", ["null", "1", "[]", "\"   \""]),
            (CreateMergeRequest, "title", ["{}", "\"\""]),
            (UpdateMergeRequest, "state_event", ["\"merge\"", "\"CLOSE\"", "1", "[\"close\"]"]),
            (UpdateMergeRequest, "sha", ["\"xyz\"", "[]"]),
            (Merge, "sha", ["1", "[\"{sha}\"]", "{}"]),
            (UpdateProject, "only_allow_merge_if_all_status_checks_passed", ["\"maybe\"", "2", "[]", "{}"]),
            (CreateProject, "name", ["null", "1", "[]"]),
            (CreateProject, "path", ["1", "\"-leading\"", "\"a/b\"", "\"x.git\""]),
            (CreateBranch, "name", ["null", "1", "[]", "\"\""]),
            (AddMember, "user_id", ["\"abc\"", "-1", "0", "1.5", "99999999999999999999999", "[1]", "null"]),
            (AddMember, "access_level", ["31", "-40", "0", "40.0", "99999999999999999999", "\"owner\"", "[40]"]),
            (CreateUser, "email", ["\"not-an-email\"", "1", "[]"]),
            (CreateUser, "username", ["\"-bad\"", "\"bad.\"", "{}"]),
            (CreateToken, "scopes", ["[]", "[\"sudo\"]", "\"\"", "[1]", "{}"]),
            (CreateToken, "expires_at", ["\"2020-01-01\"", "\"2026-13-01\"", "\"tomorrow\"", "1", "[]"]),
        ];
        foreach (var (route, parameter, values) in table)
        {
            foreach (var value in values)
            {
                yield return new("types", $"{parameter} = {Shorten(value)}", route, route.Allowed, Body: Json(With(route.Body!, parameter, value)), Status: IsModelValidation(route, value) ? 422 : 400);
            }
        }

        foreach (var (query, list) in new[] { ("page=99999999999999999999", ListChecks), ("per_page=0", ListMembers), ("page=1e2", ListBranches), ("per_page=abc", ListMrChecks), ("page[]=1", ListDeliveries), ("page=1&page=2", ListChecks) })
        {
            yield return new("types", query, list, list.Allowed, Path: list.Path + "?" + query, Status: 400);
        }
    }

    /// <summary>NUL and other control characters, lone surrogates, bidi overrides and invalid UTF-8 where text must be clean.</summary>
    private static IEnumerable<HostileCase> Unicode()
    {
        yield return new("unicode", "NUL escape in a name", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "name", "\"a\\u0000b\"")), Status: 400);
        yield return new("unicode", "bell in a name", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "name", "\"a\\u0007b\"")), Status: 400);
        yield return new("unicode", "lone high surrogate in a name", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "name", "\"a\\ud800b\"")), Status: 400);
        yield return new("unicode", "lone low surrogate in a name", UpdateCheck, TokenKind.Maintainer, Body: Json("""{"name":"\udc00x"}"""), Status: 400);
        yield return new("unicode", "lone surrogate in a key", CreateCheck, TokenKind.Maintainer, Body: Json("""{"name\ud800":"x","external_url":"https://example.com/k"}"""), Status: 400);
        yield return new("unicode", "NUL in a URL", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "external_url", "\"https://example.com/\\u0000\"")), Status: 400);
        yield return new("unicode", "newline in a URL", UpdateCheck, TokenKind.Maintainer, Body: Json("""{"external_url":"https://example.com/\r\nX-Injected: 1"}"""), Status: 400);
        yield return new("unicode", "NUL in a secret", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "shared_secret", "\"s\\u0000\"")), Status: 400);
        yield return new("unicode", "NUL in a branch", CreateBranch, TokenKind.Maintainer, Body: Json("""{"name":"main\u0000"}"""), Status: 400);
        yield return new("unicode", "escape in a target branch", CreateMergeRequest, TokenKind.Developer, Body: Json(With(CreateMergeRequest.Body!, "target_branch", "\"main\\u001b[31m\"")), Status: 400);
        yield return new("unicode", "bidi override in a sha", Respond, TokenKind.Developer, Body: Json(With(Respond.Body!, "sha", "\"\\u202e{sha}\"")), Status: 409);
        yield return new("unicode", "bidi override in a path", CreateProject, TokenKind.Admin, Body: Json("""{"name":"x","path":"a\u202eb"}"""), Status: 400);
        yield return new("unicode", "bidi override in a username", CreateUser, TokenKind.Admin, Body: Json(With(CreateUser.Body!, "username", "\"\\u202eadmin\"")), Status: 400);
        yield return new("unicode", "bidi override in a namespace", CreateProject, TokenKind.Admin, Body: Json("""{"name":"x","namespace":"root\u202e"}"""), Status: 400);
        yield return new("unicode", "form NUL in a name", CreateCheck, TokenKind.Maintainer, Body: Form("name=a%00b&external_url=https%3A%2F%2Fexample.com%2Fn"), Status: 400);
        yield return new("unicode", "form invalid UTF-8", CreateCheck, TokenKind.Maintainer, Body: Form("name=%FF%FE&external_url=https%3A%2F%2Fexample.com%2Fu"), Status: 400);
        yield return new("unicode", "query encoded surrogate", UpdateCheck, TokenKind.Maintainer, Path: UpdateCheck.Path + "?name=%ED%A0%80", Status: 400);
        yield return new("unicode", "query NUL", ListChecks, TokenKind.Maintainer, Path: ListChecks.Path + "?page=%00", Status: 400);
    }

    /// <summary>10 KB values where 255 (or 2048, 1024) characters is the limit, and 2 MB bodies where 1 MB is.</summary>
    private static IEnumerable<HostileCase> Sizes()
    {
        var tenKb = "\"" + new string('n', 10 * 1024) + "\"";
        (HostileRoute Route, string Parameter)[] longValues =
        [
            (CreateCheck, "name"), (UpdateCheck, "name"), (CreateCheck, "external_url"), (CreateCheck, "shared_secret"), (CreateProject, "name"),
            (CreateBranch, "name"), (CreateMergeRequest, "title"), (UpdateMergeRequest, "title"), (CreateMergeRequest, "source_branch"),
            (CreateUser, "username"), (CreateUser, "name"), (CreateToken, "name"), (Respond, "sha"),
        ];
        foreach (var (route, parameter) in longValues)
        {
            var value = parameter == "external_url" ? "\"https://example.com/" + new string('u', 10 * 1024) + "\"" : tenKb;
            var status = parameter == "sha" ? 409 : route == CreateCheck || route == UpdateCheck ? 422 : 400; // a check's limits are its model's
            yield return new("size", $"10 KB {parameter}", route, route.Allowed, Body: Json(With(route.Body!, parameter, value)), Status: status);
        }

        var big = 2 * 1024 * 1024;
        foreach (var route in Routes.Where(route => route.IsWrite))
        {
            yield return new("size", "2 MB JSON body", route, route.Allowed, Body: Raw(BigJson(big), "application/json"), Status: 413, Json: TooLarge);
        }

        yield return new("size", "2 MB form body", CreateCheck, TokenKind.Maintainer, Body: Raw(Encoding.ASCII.GetBytes("name=" + new string('a', big)), "application/x-www-form-urlencoded"), Status: 413, Json: TooLarge);
        yield return new("size", "2 MB chunked body", CreateCheck, TokenKind.Maintainer, Body: new CaseBody(null, BigJson(big), "application/json", Chunked: true), Status: 413, Json: TooLarge);
        yield return new("size", "2 MB chunked body", Respond, TokenKind.Developer, Body: new CaseBody(null, BigJson(big), "application/json", Chunked: true), Status: 413, Json: TooLarge);
        yield return new("size", "1 MB + 1 byte", CreateCheck, TokenKind.Maintainer, Body: Raw(BigJson((1024 * 1024) + 1), "application/json"), Status: 413, Json: TooLarge);
        yield return new("size", "2 MB unsupported type", CreateCheck, TokenKind.Maintainer, Body: Raw(new byte[big], "application/octet-stream"), Status: 413, Json: TooLarge);
        yield return new("size", "100 KB request line", ListChecks, TokenKind.Maintainer, Path: ListChecks.Path + "?page=" + new string('1', 100 * 1024), Transport: true);
    }

    /// <summary>The same parameter twice: form repeats, JSON duplicate keys, array and hash syntax for scalars.</summary>
    private static IEnumerable<HostileCase> Duplicates()
    {
        yield return new("duplicate", "form name twice", CreateCheck, TokenKind.Maintainer, Body: Form("name=a&name=b&external_url=https%3A%2F%2Fexample.com%2Fd"), Status: 400);
        yield return new("duplicate", "form external_url twice", CreateCheck, TokenKind.Maintainer, Body: Form("name=a&external_url=https%3A%2F%2Fa.example&external_url=https%3A%2F%2Fb.example"), Status: 400);
        yield return new("duplicate", "form ids[] and ids", CreateCheck, TokenKind.Maintainer, Body: Form("name=a&external_url=https%3A%2F%2Fexample.com%2Fi&protected_branch_ids[]={branch}&protected_branch_ids={branch}"), Status: 400);
        yield return new("duplicate", "form name[] for a scalar", CreateCheck, TokenKind.Maintainer, Body: Form("name[]=a&external_url=https%3A%2F%2Fexample.com%2Fa"), Status: 400);
        yield return new("duplicate", "form name[x] hash", CreateCheck, TokenKind.Maintainer, Body: Form("name[x]=a&external_url=https%3A%2F%2Fexample.com%2Fh"), Status: 400);
        yield return new("duplicate", "form sha twice", Respond, TokenKind.Developer, Body: Form("sha={sha}&sha={sha}&external_status_check_id={check}"), Status: 400);
        yield return new("duplicate", "form user_id twice", AddMember, TokenKind.Maintainer, Body: Form("user_id={unrelated_user}&user_id={unrelated_user}&access_level=30"), Status: 400);
        yield return new("duplicate", "query name twice", UpdateCheck, TokenKind.Maintainer, Path: UpdateCheck.Path + "?name=a&name=b", Status: 400);
        (HostileRoute Route, string Json)[] jsonDuplicates =
        [
            (CreateCheck, """{"name":"a","name":"b","external_url":"https://example.com/j"}"""),
            (UpdateCheck, """{"name":"a","name":"b"}"""),
            (CreateProject, """{"name":"a","name":"b"}"""),
            (CreateBranch, """{"name":"a","name":"b"}"""),
            (CreateMergeRequest, """{"source_branch":"topic","target_branch":"main","title":"a","title":"b","sha":"0123456789abcdef0123456789abcdef01234567"}"""),
            (Respond, """{"sha":"{sha}","external_status_check_id":{check},"status":"passed","status":"failed"}"""),
            (AddMember, """{"user_id":{unrelated_user},"access_level":30,"access_level":40}"""),
            (CreateUser, """{"username":"a1","username":"a2","name":"A","email":"a@example.com"}"""),
            (UpdateProject, """{"only_allow_merge_if_all_status_checks_passed":true,"only_allow_merge_if_all_status_checks_passed":false}"""),
        ];
        foreach (var (route, json) in jsonDuplicates)
        {
            yield return new("duplicate", "JSON duplicate key", route, route.Allowed, Body: Json(json), Status: 400);
        }
    }

    /// <summary>
    /// Parameters no route declares, including ones that try to set what only the service decides. GitLab (Grape's
    /// declared_params) ignores them, so they are not hostile cases but <see cref="UndeclaredParameterTests"/>: the
    /// request succeeds and the extra has no effect. An injected id is one the service would not assign here anyway
    /// (the world's first status check response is id 1, so that value would look "applied" when run first).
    /// </summary>
    public static IReadOnlyList<(HostileRoute Route, string Parameter, string Value)> UndeclaredExtras { get; } =
    [
        (CreateCheck, "admin", "true"), (CreateCheck, "id", "1"), (CreateCheck, "project_id", "{B}"), (CreateCheck, "PartitionKey", "\"{B}\""),
        (CreateCheck, "__proto__", "{\"admin\":true}"), (CreateCheck, "Name", "\"case-different\""), (UpdateCheck, "project_id", "{B}"), (UpdateCheck, "hmac", "true"),
        (Respond, "created_at", "\"2000-01-01T00:00:00Z\""), (Respond, "id", "424242"), (CreateProject, "id", "1"), (CreateUser, "admin", "true"),
        (CreateToken, "user_id", "1"), (AddMember, "id", "1"), (CreateMergeRequest, "iid", "1"), (UpdateProject, "visibility", "\"public\""),
    ];

    /// <summary><see cref="UndeclaredExtras"/>' request body: the route's valid body with the extra set.</summary>
    public static string WithExtra(HostileRoute route, string parameter, string rawValue) => With(route.Body!, parameter, rawValue);

    /// <summary>Table-query-looking strings where the service looks something up by a caller's value.</summary>
    private static IEnumerable<HostileCase> OData()
    {
        foreach (var injected in new[] { "' or 1 eq 1", "PartitionKey ne ''", "') or (RowKey ge '" })
        {
            var encoded = Uri.EscapeDataString(injected);
            yield return new("odata", $"project path {injected}", GetProject, TokenKind.Maintainer, Path: "v4/projects/" + encoded, Status: 404, Json: ProjectNotFound);
            yield return new("odata", $"namespaced project path {injected}", ListChecks, TokenKind.Maintainer, Path: $"v4/projects/{{A_namespace}}%2F{encoded}/external_status_checks", Status: 404, Json: ProjectNotFound);
            yield return new("odata", $"branch name {injected}", DeleteBranch, TokenKind.Maintainer, Path: ProjectBase + "/protected_branches/" + encoded, Status: 404,
                Json: """{"message":"404 Not found"}""");
            yield return new("odata", $"sha {injected}", Respond, TokenKind.Developer, Body: Json(With(Respond.Body!, "sha", $"\"{injected}\"")), Status: 409);
            yield return new("odata", $"merge sha {injected}", Merge, TokenKind.Developer, Body: Json($$"""{"sha":"{{injected}}"}"""), Status: 409);
        }

        yield return new("odata", "member id", RemoveMember, TokenKind.Maintainer, Path: ProjectBase + "/members/1%20or%201%20eq%201", Status: 404, Json: """{"message":"404 Not found"}""");
        yield return new("odata", "check id", UpdateCheck, TokenKind.Maintainer, Path: ProjectBase + "/external_status_checks/1%20or%201%20eq%201", Body: Json("""{"name":"x"}"""),
            Status: 404, Json: RecordNotFound);
        yield return new("odata", "user_id", AddMember, TokenKind.Maintainer, Body: Json("""{"user_id":"1 or 1 eq 1","access_level":30}"""), Status: 400);
        yield return new("odata", "MR sha", CreateMergeRequest, TokenKind.Developer, Body: Json(With(CreateMergeRequest.Body!, "sha", "\"' or 1 eq 1\"")), Status: 400);
        yield return new("odata", "namespace", CreateProject, TokenKind.Admin, Body: Json("""{"name":"x","namespace":"PartitionKey ne ''"}"""), Status: 400);
        yield return new("odata", "username", CreateUser, TokenKind.Admin, Body: Json(With(CreateUser.Body!, "username", "\"' or 1 eq 1\"")), Status: 400);
    }

    /// <summary>Dot segments, encoded slashes (once, twice, three times), NUL, backslashes and doubled slashes.</summary>
    private static IEnumerable<HostileCase> Paths()
    {
        yield return new("path", "dot segments into project B", GetProject, TokenKind.Maintainer, Path: ProjectBase + "/../{B}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "dot segments into project B", CreateCheck, TokenKind.Maintainer, Path: ProjectBase + "/../{B}/external_status_checks", Body: Json(CheckBody), Status: 404, Json: ProjectNotFound);
        yield return new("path", "encoded dot segments into project B", ListChecks, TokenKind.Maintainer, Path: ProjectBase + "/%2e%2e/{B}/external_status_checks", Status: 404, Json: ProjectNotFound);
        yield return new("path", "encoded slash and dots as project id", GetProject, TokenKind.Maintainer, Path: "v4/projects/%2e%2e%2f{B}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "namespace, dots, project B", GetProject, TokenKind.Maintainer, Path: "v4/projects/{A_namespace}%2F..%2F{B_path}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "encoded path of A as a stranger", GetProject, TokenKind.OtherProjectMaintainer, Path: "v4/projects/{A_path}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "double-encoded path of A as a stranger", ListChecks, TokenKind.NonMember, Path: "v4/projects/{A_path_double}/external_status_checks", Status: 404, Json: ProjectNotFound);
        // 403 or 404: the host decodes %25 before routing, so this may name project A (see the report); either way nothing is written.
        yield return new("path", "double-encoded path of A, read_api write", CreateCheck, TokenKind.ReadApi, Path: "v4/projects/{A_path_double}/external_status_checks", Body: Json(CheckBody));
        yield return new("path", "triple-encoded path of A", GetProject, TokenKind.Maintainer, Path: "v4/projects/{A_path_triple}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "encoded slash inside the id", GetProject, TokenKind.Maintainer, Path: ProjectBase + "%2Fexternal_status_checks", Status: 404, Json: ProjectNotFound);
        yield return new("path", "dots in a check id", UpdateCheck, TokenKind.Maintainer, Path: ProjectBase + "/external_status_checks/..%2F..%2F{B}", Body: Json("""{"name":"x"}"""),
            Status: 404, Json: RecordNotFound);
        yield return new("path", "dots in an MR iid", ListMrChecks, TokenKind.Reporter, Path: ProjectBase + "/merge_requests/{mr}%2F..%2F..%2F..%2F{B}/status_checks",
            Status: 404, Json: RecordNotFound);
        yield return new("path", "dots in a branch name", DeleteBranch, TokenKind.Maintainer, Path: ProjectBase + "/protected_branches/..%2Fmain", Status: 404,
            Json: """{"message":"404 Not found"}""");
        yield return new("path", "branch name '..'", DeleteBranch, TokenKind.Maintainer, Path: ProjectBase + "/protected_branches/%2e%2e", Status: 404);
        yield return new("path", "double-encoded branch slash", DeleteBranch, TokenKind.Maintainer, Path: ProjectBase + "/protected_branches/main%252F..", Status: 404,
            Json: """{"message":"404 Not found"}""");
        yield return new("path", "backslash dots", GetProject, TokenKind.Maintainer, Path: ProjectBase + "%5C..%5C{B}", Status: 404, Json: ProjectNotFound);
        yield return new("path", "doubled slash", ListChecks, TokenKind.Maintainer, Path: ProjectBase + "//external_status_checks", Status: 404);
        yield return new("path", "NUL after the id", GetProject, TokenKind.Maintainer, Path: ProjectBase + "%00", Status: 400, Transport: true);
        yield return new("path", "NUL in a branch name", DeleteBranch, TokenKind.Maintainer, Path: ProjectBase + "/protected_branches/main%00", Status: 400, Transport: true);
    }

    /// <summary>External URLs that are not absolute http(s), carry credentials, or are too long.</summary>
    private static IEnumerable<HostileCase> Urls()
    {
        string[] urls =
        [
            "javascript:alert(1)", "JAVASCRIPT:alert(document.cookie)", "file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/_x",
            "data:text/plain,hi", "ws://example.com/socket", "mailto:a@example.com", "ldap://example.com/", "http://user:pass@example.com/", "https://user@example.com/",
            "http://:pass@example.com/", "//example.com/x", "/relative/path", "http://", "http:///no-host", "http://[::1", "not a url", "\\\\server\\share",
            "https://example.com/" + new string('x', 2100),
        ];
        foreach (var url in urls)
        {
            yield return new("url", Shorten(url), CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "external_url", System.Text.Json.JsonSerializer.Serialize(url))), Status: 422);
        }

        foreach (var url in new[] { "javascript:alert(1)", "file:///etc/shadow", "gopher://localhost:25/", "http://admin:secret@example.com/" })
        {
            yield return new("url", Shorten(url), UpdateCheck, TokenKind.Maintainer, Body: Json($$"""{"external_url":"{{url}}"}"""), Status: 422);
        }
    }

    /// <summary>Bodies in formats the API does not read, or labelled as the wrong one.</summary>
    private static IEnumerable<HostileCase> ContentTypes()
    {
        var json = Encoding.UTF8.GetBytes(CheckBody);
        (string Description, CaseBody Body, int Status)[] bodies =
        [
            ("text/plain", Raw(json, "text/plain"), 415),
            ("application/xml", Raw("<check><name>x</name><external_url>https://example.com</external_url></check>"u8.ToArray(), "application/xml"), 415),
            ("multipart/form-data", Raw("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b--\r\n"u8.ToArray(), "multipart/form-data; boundary=b"), 415),
            ("no content type", Raw(json, null), 415),
            ("json-patch", Raw(json, "application/json-patch+json"), 415),
            ("unparseable content type", Raw(json, "???"), 415),
            ("JSON labelled as a form", Raw(json, "application/x-www-form-urlencoded"), 400),
        ];
        foreach (var route in new[] { CreateCheck, Respond })
        {
            foreach (var (description, body, status) in bodies)
            {
                yield return new("content-type", description, route, route.Allowed, Body: body, Status: status, Json: status == 415 ? UnsupportedMediaType : null);
            }
        }

        yield return new("content-type", "text/plain", CreateProject, TokenKind.Admin, Body: Raw("""{"name":"x"}"""u8.ToArray(), "text/plain"), Status: 415, Json: UnsupportedMediaType);
        yield return new("content-type", "application/xml", UpdateCheck, TokenKind.Maintainer, Body: Raw("<name>x</name>"u8.ToArray(), "application/xml"), Status: 415, Json: UnsupportedMediaType);
        yield return new("content-type", "no content type", AddMember, TokenKind.Maintainer, Body: Raw("user_id=1&access_level=30"u8.ToArray(), null), Status: 415, Json: UnsupportedMediaType);
    }

    /// <summary>Well-formed requests the current state refuses: duplicates, wrong sha, not failed, past expiry.</summary>
    private static IEnumerable<HostileCase> States()
    {
        yield return new("state", "retry a pending check", Retry, TokenKind.Developer, Status: 422, Json: """{"message":"External status check must be failed"}""");
        yield return new("state", "response for an old sha", Respond, TokenKind.Developer, Body: Json(With(Respond.Body!, "sha", "\"0000000000000000000000000000000000000000\"")),
            Status: 409, Json: """{"message":"SHA does not match HEAD of source branch: {sha}"}"""); // GitLab names the HEAD
        yield return new("state", "merge with an old sha", Merge, TokenKind.Developer, Body: Json("""{"sha":"0000000000000000000000000000000000000000"}"""), Status: 409);
        yield return new("state", "duplicate check name", CreateCheck, TokenKind.Maintainer, Body: Json(With(CheckBody, "name", "\"check-a\"")), Status: 422,
            Json: """{"message":["Name has already been taken"]}""");
        yield return new("state", "duplicate protected branch", CreateBranch, TokenKind.Maintainer, Body: Json("""{"name":"main"}"""), Status: 409);
        yield return new("state", "duplicate member", AddMember, TokenKind.Maintainer, Body: Json("""{"user_id":{guest_user},"access_level":30}"""), Status: 409);
        yield return new("state", "token expiring yesterday", CreateToken, TokenKind.Admin, Body: Json(With(CreateToken.Body!, "expires_at", $"\"{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}\"")), Status: 400);
        yield return new("state", "token for a missing user", CreateToken, TokenKind.Admin, Path: "v4/users/999999999/personal_access_tokens", Body: Json(CreateToken.Body!), Status: 404,
            Json: """{"message":"404 User Not Found"}""");
        yield return new("state", "empty update", UpdateMergeRequest, TokenKind.Developer, Body: Json("{}"), Status: 400);
        yield return new("state", "empty project update", UpdateProject, TokenKind.Maintainer, Status: 400);
        yield return new("state", "missing required parameters", CreateCheck, TokenKind.Maintainer, Body: Json("{}"), Status: 400, Json: """{"error":"name is missing"}""");
        // GitLab's sha is a required String, and "" is a string: it just is not the HEAD.
        yield return new("state", "empty sha", Respond, TokenKind.Developer, Body: Json(With(Respond.Body!, "sha", "\"\"")), Status: 409, Json: """{"message":"SHA does not match HEAD of source branch: {sha}"}""");
        yield return new("state", "missing sha", Respond, TokenKind.Developer, Body: Json("""{"external_status_check_id":{check}}"""), Status: 400, Json: """{"error":"sha is missing"}""");
    }

    /// <summary>
    /// GitLab's answer to a role below the route's minimum: 401 on check management (the list and delete with
    /// "401 Unauthorized", the create and update services with ["Not allowed"]), 403 elsewhere.
    /// </summary>
    private static (int Status, string Json) BelowMinimum(HostileRoute route) =>
        route == ListChecks || route == DeleteCheck ? (401, Unauthorized)
        : route == CreateCheck || route == UpdateCheck ? (401, NotAllowed)
        : (403, Forbidden);

    /// <summary>A blank name or URL of a check is a string, so GitLab's model refuses it (422), not Grape (400).</summary>
    private static bool IsModelValidation(HostileRoute route, string rawValue) =>
        (route == CreateCheck || route == UpdateCheck) && rawValue.Trim('"').Trim().Length == 0 && rawValue.StartsWith('"');

    private static CaseBody Json(string text) => new(text, null, "application/json");

    private static CaseBody Form(string text) => new(text, null, "application/x-www-form-urlencoded");

    private static CaseBody Raw(byte[] bytes, string? contentType) => new(null, bytes, contentType);

    /// <summary><paramref name="json"/> (a valid body) with one parameter set to a raw JSON value (placeholders allowed inside).</summary>
    private static string With(string json, string parameter, string rawValue)
    {
        const string marker = "\"__raw__\"";
        var body = JsonNode.Parse(Placeholders.Protect(json))!.AsObject();
        body[parameter] = "__raw__";
        return Placeholders.Restore(body.ToJsonString()).Replace(marker, rawValue, StringComparison.Ordinal);
    }

    private static byte[] BigJson(int size)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)'a');
        "{\"name\":\""u8.CopyTo(bytes);
        "\"}"u8.CopyTo(bytes.AsSpan(size - 2));
        return bytes;
    }

    private static string Shorten(string value) => value.Length > 40 ? $"{value[..30]}...({value.Length} chars)" : value;

    /// <summary>Bare placeholders such as <c>{check}</c> are not JSON values; they are quoted while the body is edited.</summary>
    private static class Placeholders
    {
        private static readonly string[] Bare = ["{check}", "{check_B}", "{unrelated_user}", "{guest_user}", "{branch}", "{branch_B}", "{B}", "{A}"];

        public static string Protect(string json) =>
            Bare.Aggregate(json, (text, placeholder) => text.Replace(":" + placeholder, ":\"@@" + placeholder + "@@\"", StringComparison.Ordinal));

        public static string Restore(string json) =>
            Bare.Aggregate(json, (text, placeholder) => text.Replace("\"@@" + placeholder + "@@\"", placeholder, StringComparison.Ordinal));
    }
}
