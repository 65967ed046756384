using System.Net;
using System.Text.Json;
using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

/// <summary>
/// The worker's FunctionContext plumbing behind GetHttpRequestDataAsync/GetInvocationResult uses internal features,
/// so the HTTP path is tested through <see cref="ApiErrorMiddleware.HandleAsync"/> and
/// <see cref="ApiErrorMiddleware.Classify"/>; Invoke itself is tested where it needs no internal feature (no HTTP request).
/// </summary>
public class ApiErrorMiddlewareTests
{
    private readonly Mock<ILogger<ApiErrorMiddleware>> logger = new();

    public static TheoryData<Exception> Unavailable => new()
    {
        new RequestFailedException(503, "Server busy"),
        new RequestFailedException(500, "Internal"),
        new RequestFailedException(0, "Connection refused"),
        new RequestFailedException(408, "Timeout"),
        new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout"),
        new OperationCanceledException(),
        new TimeoutException(),
        new HttpRequestException("No route to host"),
        new Azure.Identity.CredentialUnavailableException("No managed identity"),
        new AggregateException(new RequestFailedException(503, "Server busy")),
        new AggregateException( // Azure.Core's retry policy when every attempt failed, as with storage stopped
            "Retry failed after 3 tries.",
            new RequestFailedException(0, "Connection refused", new HttpRequestException("Connection refused")),
            new RequestFailedException(0, "Connection refused", new HttpRequestException("Connection refused")),
            new RequestFailedException(503, "Server busy")),
    };

    public static TheoryData<Exception> Unexpected => new()
    {
        new InvalidOperationException("bug"),
        new RequestFailedException(404, "Table not found"),
        new RequestFailedException(409, "Entity already exists"),
        new JsonException("stored entity unreadable"),
        new ArgumentException("bad"),
        new AggregateException(new RequestFailedException(0, "Connection refused"), new InvalidOperationException("bug")),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void Classify_StorageOrNetworkFailure_Is503Warning(Exception exception)
    {
        var (error, level) = ApiErrorMiddleware.Classify(exception);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"message":"503 Service Unavailable"}""", LogLevel.Warning), (error.Status, Body(error), level));
    }

    [Theory]
    [MemberData(nameof(Unexpected))]
    public void Classify_AnythingElse_Is500Error(Exception exception)
    {
        var (error, level) = ApiErrorMiddleware.Classify(exception);

        Assert.Equal((HttpStatusCode.InternalServerError, """{"message":"500 Internal Server Error"}""", LogLevel.Error), (error.Status, Body(error), level));
    }

    [Fact]
    public void Classify_DomainException_IsItsGitLabErrorAtDebug()
    {
        var (error, level) = ApiErrorMiddleware.Classify(new DomainException(new DomainError.NotFound("Merge Request")));

        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Merge Request Not Found"}""", LogLevel.Debug), (error.Status, Body(error), level));
    }

    [Fact]
    public void Classify_WrappedDomainException_IsUnwrapped()
    {
        var (error, _) = ApiErrorMiddleware.Classify(new AggregateException(new DomainException(new DomainError.Forbidden())));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [Fact]
    public void Classify_ApiRequestException_IsItsOwnError()
    {
        var (error, level) = ApiErrorMiddleware.Classify(new ApiRequestException(ApiError.RequestTooLarge));

        Assert.Equal((ApiError.RequestTooLarge, LogLevel.Debug), (error, level));
    }

    [Fact]
    public async Task HandleAsync_DomainException_WritesResponseWithoutWarningOrError()
    {
        var middleware = new ApiErrorMiddleware(logger.Object);

        var response = (FakeHttpResponseData)await middleware.HandleAsync(
            Request(), new DomainException(DomainError.ValidationFailed.For("name", "has already been taken")), "CreateStatusCheck");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"message":{"name":["has already been taken"]}}""", response.BodyText);
        VerifyLogged(LogLevel.Warning, Times.Never());
        VerifyLogged(LogLevel.Error, Times.Never());
    }

    [Fact]
    public async Task HandleAsync_StorageDown_Writes503AndLogsWarningWithException()
    {
        var middleware = new ApiErrorMiddleware(logger.Object);
        var exception = new RequestFailedException(503, "Server busy");

        var response = (FakeHttpResponseData)await middleware.HandleAsync(Request(), exception, "ListStatusChecks");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"message":"503 Service Unavailable"}"""), (response.StatusCode, response.BodyText));
        VerifyLogged(LogLevel.Warning, Times.Once(), exception);
        VerifyLogged(LogLevel.Error, Times.Never());
    }

    [Fact]
    public async Task HandleAsync_UnexpectedException_Writes500WithoutDetailsAndLogsError()
    {
        var middleware = new ApiErrorMiddleware(logger.Object);
        var exception = new InvalidOperationException("connection string AccountKey=abc");

        var response = (FakeHttpResponseData)await middleware.HandleAsync(Request(), exception, "ListStatusChecks");

        Assert.Equal((HttpStatusCode.InternalServerError, """{"message":"500 Internal Server Error"}"""), (response.StatusCode, response.BodyText));
        VerifyLogged(LogLevel.Error, Times.Once(), exception);
    }

    [Fact]
    public async Task Invoke_FunctionSucceeds_LeavesResultAlone()
    {
        var context = new Mock<FunctionContext>(MockBehavior.Strict);
        var calls = 0;

        await new ApiErrorMiddleware(logger.Object).Invoke(context.Object, _ =>
        {
            calls++;
            return Task.CompletedTask;
        });

        Assert.Equal(1, calls);
        context.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Invoke_NoHttpRequest_RethrowsForHostRetry()
    {
        // What GetHttpRequestDataAsync consults: an invocation without an HTTP trigger has no request.
        var httpFeature = new Mock<IHttpRequestDataFeature>();
        httpFeature.Setup(f => f.GetHttpRequestDataAsync(It.IsAny<FunctionContext>())).ReturnsAsync((HttpRequestData?)null);
        var features = new Mock<IInvocationFeatures>();
        features.Setup(f => f.Get<IHttpRequestDataFeature>()).Returns(httpFeature.Object);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Features).Returns(features.Object);
        var exception = new RequestFailedException(503, "Server busy");

        var thrown = await Assert.ThrowsAsync<RequestFailedException>(
            () => new ApiErrorMiddleware(logger.Object).Invoke(context.Object, _ => throw exception));

        Assert.Same(exception, thrown);
        httpFeature.Verify(f => f.GetHttpRequestDataAsync(context.Object), Times.Once);
    }

    private static FakeHttpRequestData Request() => FakeHttpRequestData.Get("http://localhost/api/v4/projects/1/external_status_checks");

    private static string Body(ApiError error) => JsonSerializer.Serialize(error.Body, JsonResponses.SerializerOptions);

    private void VerifyLogged(LogLevel level, Times times, Exception? exception = null) =>
        logger.Verify(
            l => l.Log(
                level,
                It.IsAny<EventId>(),
                It.IsAny<It.IsAnyType>(),
                exception ?? It.IsAny<Exception>(),
                It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            times);
}
