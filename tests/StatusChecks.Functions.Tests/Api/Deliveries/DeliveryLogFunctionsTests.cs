using System.Net;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Api.Deliveries;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Api.Deliveries;

/// <summary>The delivery log routes: what they hand the service and how they answer; the service is mocked.</summary>
public sealed class DeliveryLogFunctionsTests
{
    /// <summary>The project a route names as <c>group%2Fproject</c>, as the edge parses it.</summary>
    private static readonly ProjectRef GroupProject = RouteValues.Project("group%2Fproject");

    private const string Token = "secret-token";
    private const string Base = "http://localhost/api/v4/projects/1/merge_requests/2/status_checks/3/deliveries";
    private static readonly Caller Caller = Caller.User(7, [TokenScopes.Api]);

    private readonly Mock<IAuthenticator> authenticator = new(MockBehavior.Strict);
    private readonly Mock<IDeliveryLogService> deliveries = new(MockBehavior.Strict);

    public DeliveryLogFunctionsTests() =>
        authenticator.Setup(a => a.AuthenticateAsync(Token, It.IsAny<CancellationToken>())).ReturnsAsync(Caller);

    [Fact]
    public async Task List_Paged_SnakeCaseAttemptsAndPaginationHeaders()
    {
        var attempt = new StatusCheckDelivery(
            9, Guid.Parse("08f1801a-5984-8121-ab46-4e38a1f33b05"), "open", 2, "retry", DeliveryStatuses.Retrying, 500, 12, "HTTP 500 Internal Server Error",
            new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        deliveries.Setup(d => d.ListAsync(Caller, GroupProject, 2, 3, It.Is<PageRequest>(p => p.Page == 2 && p.PerPage == 1), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<StatusCheckDelivery>([attempt], 2, 1, 3));

        var response = (FakeHttpResponseData)await new ListStatusCheckDeliveriesFunction(authenticator.Object, deliveries.Object).Run(
            Request($"{Base}?page=2&per_page=1", "GET"), "group%2Fproject", "2", "3", CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """[{"id":9,"event_id":"08f1801a-5984-8121-ab46-4e38a1f33b05","action":"open","attempt":2,"trigger":"retry","status":"retrying","response_code":500,"duration_ms":12,"error":"HTTP 500 Internal Server Error","created_at":"2026-11-25T10:00:00.000Z"}]""",
            response.BodyText);
        Assert.Equal(("2", "3", "3", "1"), (response.Header("X-Page"), response.Header("X-Total"), response.Header("X-Next-Page"), response.Header("X-Prev-Page")));
    }

    [Fact]
    public async Task Redeliver_Accepted_Answers202Message()
    {
        deliveries.Setup(d => d.RedeliverAsync(Caller, ProjectRef.ById(1), 2, 3, 9, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var response = (FakeHttpResponseData)await new RedeliverStatusCheckDeliveryFunction(authenticator.Object, deliveries.Object).Run(
            Request($"{Base}/9/redeliver", "POST"), "1", "2", "3", "9", CancellationToken.None);

        Assert.Equal((HttpStatusCode.Accepted, """{"message":"202 Accepted"}"""), (response.StatusCode, response.BodyText));
    }

    public static TheoryData<string, Func<DeliveryLogFunctionsTests, Task>> GarbageIds => new()
    {
        { "Merge Request", t => t.List("x", "3") },
        { "External Status Check", t => t.List("2", "0") },
        { "Delivery", t => t.Redeliver("2", "3", "-9") },
        { "Delivery", t => t.Redeliver("2", "3", "99999999999999999999") },
        { "External Status Check", t => t.Redeliver("2", "abc", "9") },
    };

    [Theory]
    [MemberData(nameof(GarbageIds))]
    public async Task Run_GarbageRouteId_Is404ForThatThing(string thing, Func<DeliveryLogFunctionsTests, Task> run)
    {
        var refused = await Errors.CaughtAsync(() => run(this));

        Assert.Equal((HttpStatusCode.NotFound, $$"""{"message":"404 {{thing}} Not Found"}"""), refused);
        deliveries.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Redeliver_UndeclaredParameter_IsIgnored()
    {
        deliveries.Setup(d => d.RedeliverAsync(Caller, ProjectRef.ById(1), 2, 3, 9, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var request = FakeHttpRequestData.Json("""{"force":true}""", $"{Base}/9/redeliver");
        request.Headers.Add("PRIVATE-TOKEN", Token);

        var response = await new RedeliverStatusCheckDeliveryFunction(authenticator.Object, deliveries.Object).Run(request, "1", "2", "3", "9", CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        deliveries.Verify(d => d.RedeliverAsync(Caller, ProjectRef.ById(1), 2, 3, 9, It.IsAny<CancellationToken>()), Times.Once);
    }

    private Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> List(string iid, string checkId) =>
        new ListStatusCheckDeliveriesFunction(authenticator.Object, deliveries.Object).Run(Request(Base, "GET"), "1", iid, checkId, CancellationToken.None);

    private Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> Redeliver(string iid, string checkId, string deliveryId) =>
        new RedeliverStatusCheckDeliveryFunction(authenticator.Object, deliveries.Object).Run(Request($"{Base}/1/redeliver", "POST"), "1", iid, checkId, deliveryId, CancellationToken.None);

    private static FakeHttpRequestData Request(string url, string method)
    {
        var request = new FakeHttpRequestData(new Uri(url), Stream.Null, method);
        request.Headers.Add("PRIVATE-TOKEN", Token);
        return request;
    }
}
