using System.Net;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Api.StatusChecks;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Api.StatusChecks;

/// <summary>What each status-check function hands the domain and how it answers; the domain itself is mocked.</summary>
public class StatusCheckFunctionsTests
{
    /// <summary>The project a route names as <c>group%2Fproject</c>, as the edge parses it.</summary>
    private static readonly ProjectRef GroupProject = RouteValues.Project("group%2Fproject");

    private const string Base = "http://localhost/api/v4/projects/group%2Fproject";
    private const string Token = "secret-token";

    private static readonly Caller Caller = Caller.User(7, [TokenScopes.Api]);
    private static readonly ExternalStatusCheck Check = new(5, "QA", 1, "https://qa.example.com", true, []);

    private readonly Mock<IAuthenticator> authenticator = new(MockBehavior.Strict);
    private readonly Mock<IStatusCheckService> checks = new(MockBehavior.Strict);

    public StatusCheckFunctionsTests() =>
        authenticator.Setup(a => a.AuthenticateAsync(Token, It.IsAny<CancellationToken>())).ReturnsAsync(Caller);

    public static TheoryData<string, string?, string> CreateRequests => new()
    {
        { "application/json", """{"name":"QA","external_url":"https://qa.example.com","shared_secret":"s","protected_branch_ids":[3,4]}""", "" },
        { "application/x-www-form-urlencoded", "name=QA&external_url=https%3A%2F%2Fqa.example.com&shared_secret=s&protected_branch_ids[]=3&protected_branch_ids[]=4", "" },
        { "application/json", null, "?name=QA&external_url=https://qa.example.com&shared_secret=s&protected_branch_ids=3,4" },
    };

    [Theory]
    [MemberData(nameof(CreateRequests))]
    public async Task Create_JsonFormOrQuery_PassesEveryParameterAndAnswers201(string contentType, string? body, string query)
    {
        NewStatusCheck? given = null;
        checks.Setup(c => c.CreateAsync(Caller, GroupProject, It.IsAny<NewStatusCheck>(), It.IsAny<CancellationToken>()))
            .Callback<Caller, ProjectRef, NewStatusCheck, CancellationToken>((_, _, input, _) => given = input)
            .ReturnsAsync(Check);

        var response = await Run(new CreateExternalStatusCheckFunction(authenticator.Object, checks.Object).Run(
            Request($"{Base}/external_status_checks{query}", contentType, body), "group%2Fproject", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("QA", "https://qa.example.com", "s"), (given!.Name, given.ExternalUrl, given.SharedSecret));
        Assert.Equal([3L, 4L], given.ProtectedBranchIds);
        Assert.Equal(
            """{"id":5,"name":"QA","project_id":1,"external_url":"https://qa.example.com","hmac":true,"protected_branches":[]}""",
            response.BodyText);
    }

    [Fact]
    public async Task Update_OnlySomeFields_LeavesTheOthersNull()
    {
        StatusCheckChanges? given = null;
        checks.Setup(c => c.UpdateAsync(Caller, ProjectRef.ById(1), 5, It.IsAny<StatusCheckChanges>(), It.IsAny<CancellationToken>()))
            .Callback<Caller, ProjectRef, long, StatusCheckChanges, CancellationToken>((_, _, _, changes, _) => given = changes)
            .ReturnsAsync(Check);

        var response = await Run(new UpdateExternalStatusCheckFunction(authenticator.Object, checks.Object).Run(
            Request("http://localhost/api/v4/projects/1/external_status_checks/5", "application/json", """{"shared_secret":"","protected_branch_ids":[]}"""),
            "1",
            "5",
            CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new StatusCheckChanges(null, null, "", given!.ProtectedBranchIds), given);
        Assert.Empty(given.ProtectedBranchIds!);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("passed", "passed")]
    [InlineData("failed", "failed")]
    [InlineData("pending", "pending")]
    public async Task Respond_KnownStatus_PassesItOn(string? status, string? expected)
    {
        NewStatusCheckResponse? given = null;
        checks.Setup(c => c.RespondAsync(Caller, ProjectRef.ById(1), 2, It.IsAny<NewStatusCheckResponse>(), It.IsAny<CancellationToken>()))
            .Callback<Caller, ProjectRef, long, NewStatusCheckResponse, CancellationToken>((_, _, _, input, _) => given = input)
            .ReturnsAsync((StatusCheckResponse)null!);
        var body = status is null ? """{"sha":"abc","external_status_check_id":"5"}""" : $$"""{"sha":"abc","external_status_check_id":5,"status":"{{status}}"}""";

        var response = await Run(new CreateStatusCheckResponseFunction(authenticator.Object, checks.Object).Run(
            Request("http://localhost/api/v4/projects/1/merge_requests/2/status_check_responses", "application/json", body), "1", "2", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new NewStatusCheckResponse("abc", 5, expected), given);
    }

    [Theory]
    [InlineData("""{"sha":"abc","external_status_check_id":5,"status":"approved"}""", """{"error":"status does not have a valid value"}""")]
    [InlineData("""{"sha":"abc","external_status_check_id":5,"status":"PASSED"}""", """{"error":"status does not have a valid value"}""")]
    [InlineData("""{"sha":"abc","external_status_check_id":"five"}""", """{"error":"external_status_check_id is invalid"}""")]
    public async Task Respond_BadParameter_IsRefusedWithoutCallingTheDomain(string body, string error)
    {
        var function = new CreateStatusCheckResponseFunction(authenticator.Object, checks.Object);

        var refused = await Errors.CaughtAsync(() => function.Run(
            Request("http://localhost/api/v4/projects/1/merge_requests/2/status_check_responses", "application/json", body), "1", "2", CancellationToken.None));

        Assert.Equal((HttpStatusCode.BadRequest, error), refused);
        checks.VerifyNoOtherCalls();
    }

    // A check or MR id that cannot name one is GitLab's generic 404; the project keeps its named 404.
    public static TheoryData<string, Func<StatusCheckFunctionsTests, Task>> GarbageIds => new()
    {
        { "404 Not found", t => new UpdateExternalStatusCheckFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "1", "x", CancellationToken.None) },
        { "404 Not found", t => new DeleteExternalStatusCheckFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "1", "0", CancellationToken.None) },
        { "404 Not found", t => new ListMergeRequestStatusChecksFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "1", "-1", CancellationToken.None) },
        { "404 Not found", t => new RetryStatusCheckFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "1", "x", "5", CancellationToken.None) },
        { "404 Not found", t => new RetryStatusCheckFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "1", "2", "99999999999999999999", CancellationToken.None) },
        { "404 Project Not Found", t => new ListExternalStatusChecksFunction(t.authenticator.Object, t.checks.Object).Run(Put(), "..", CancellationToken.None) },
    };

    [Theory]
    [MemberData(nameof(GarbageIds))]
    public async Task Run_GarbageRouteId_Is404(string message, Func<StatusCheckFunctionsTests, Task> run)
    {
        var refused = await Errors.CaughtAsync(() => run(this));

        Assert.Equal((HttpStatusCode.NotFound, $$"""{"message":"{{message}}"}"""), refused);
        checks.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Retry_Accepted_Answers202Message()
    {
        checks.Setup(c => c.RetryAsync(Caller, ProjectRef.ById(1), 2, 5, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var response = await Run(new RetryStatusCheckFunction(authenticator.Object, checks.Object).Run(Put(), "1", "2", "5", CancellationToken.None));

        Assert.Equal((HttpStatusCode.Accepted, """{"message":"202 Accepted"}"""), (response.StatusCode, response.BodyText));
    }

    [Fact]
    public async Task Delete_Deleted_Answers204WithoutBody()
    {
        checks.Setup(c => c.DeleteAsync(Caller, ProjectRef.ById(1), 5, null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var response = await Run(new DeleteExternalStatusCheckFunction(authenticator.Object, checks.Object).Run(Put(), "1", "5", CancellationToken.None));

        Assert.Equal((HttpStatusCode.NoContent, ""), (response.StatusCode, response.BodyText));
    }

    [Theory]
    [InlineData("Wed, 25 Nov 2026 10:00:00 GMT")] // HTTP date, as clients send it
    [InlineData("2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25T11:00:00+01:00")]
    public async Task Delete_IfUnmodifiedSince_PassesTheTimeOn(string header)
    {
        checks.Setup(c => c.DeleteAsync(Caller, ProjectRef.ById(1), 5, new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var request = Put();
        request.Headers.TryAddWithoutValidation("If-Unmodified-Since", header);

        var response = await Run(new DeleteExternalStatusCheckFunction(authenticator.Object, checks.Object).Run(request, "1", "5", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Delete_UnreadableIfUnmodifiedSince_IsIgnoredAsGitLabDoes()
    {
        checks.Setup(c => c.DeleteAsync(Caller, ProjectRef.ById(1), 5, null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var request = Put();
        request.Headers.TryAddWithoutValidation("If-Unmodified-Since", "not a date");

        var response = await Run(new DeleteExternalStatusCheckFunction(authenticator.Object, checks.Object).Run(request, "1", "5", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task ListForMergeRequest_SecondPage_PassesPageAndWritesHeaders()
    {
        var items = new[] { new MergeRequestStatusCheck(5, "QA", "https://qa.example.com", CheckStatuses.Pending) };
        checks.Setup(c => c.ListForMergeRequestAsync(Caller, ProjectRef.ById(1), 2, It.Is<PageRequest>(p => p.Page == 2 && p.PerPage == 1), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<MergeRequestStatusCheck>(items, 2, 1, 3));

        var response = await Run(new ListMergeRequestStatusChecksFunction(authenticator.Object, checks.Object).Run(
            FakeHttpRequestData.Get("http://localhost/api/v4/projects/1/merge_requests/2/status_checks?page=2&per_page=1&private_token=" + Token),
            "1",
            "2",
            CancellationToken.None));

        Assert.Equal("""[{"id":5,"name":"QA","external_url":"https://qa.example.com","status":"pending"}]""", response.BodyText);
        Assert.Equal(("2", "3", "3", "1"), (response.Header("X-Page"), response.Header("X-Total"), response.Header("X-Next-Page"), response.Header("X-Prev-Page")));
        Assert.Equal("10000", response.Header("Poll-Interval"));
    }

    private static FakeHttpRequestData Put() => Request("http://localhost/api/v4/projects/1/anything", "application/json", null);

    private static FakeHttpRequestData Request(string url, string contentType, string? body)
    {
        var request = body is null ? new FakeHttpRequestData(new Uri(url), Stream.Null) : FakeHttpRequestData.With(url, contentType, body);
        request.Headers.Add("PRIVATE-TOKEN", Token);
        return request;
    }

    private static async Task<FakeHttpResponseData> Run(Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> response) =>
        (FakeHttpResponseData)await response;
}
