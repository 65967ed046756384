using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Http;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Http;

/// <summary>The function routes run through real ASP.NET Core routing (in-memory TestServer).</summary>
public sealed class HttpTriggerEndpointsTests : IAsyncLifetime, IDisposable
{
    private readonly FunctionRegistry registry = new();
    private readonly Mock<IFunctionInvoker> invoker = new();
    private readonly List<InvocationRequest> invocations = [];
    private WebApplication? app;
    private HttpClient client = null!;

    public HttpTriggerEndpointsTests()
    {
        // The fake worker answers 200 with the id of the function that was invoked.
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((InvocationRequest request, CancellationToken _) =>
            {
                invocations.Add(request);
                return Ok(request.FunctionId);
            });
        registry.Publish(
        [
            TestFunctions.Http("Health", "health", "get"),
            TestFunctions.Http("ListChecks", "projects/{id}/external_status_checks", "get", "post"),
            TestFunctions.Http("UpdateCheck", "projects/{id}/external_status_checks/{check_id:long}", "put", "delete"),
            TestFunctions.Http("Deliveries", "projects/{id}/deliveries/{delivery_id?}", "get"),
            TestFunctions.Http("NotFound", "v4/{*path}"),
            TestFunctions.Http("DefaultRoute", null, "get"),
        ]);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRouting();
        builder.Services.AddGrpc(LocalHostApplication.ConfigureGrpc);
        builder.Services.AddSingleton<WorkerLogForwarder>().AddSingleton<WorkerChannel>();
        app = builder.Build();
        app.MapGrpcService<WorkerChannel>().RequireHost("*:5999"); // as in the real host, next to the function routes
        var endpoints = new HttpTriggerEndpoints(
            registry, HostSettings.Default, invoker.Object, new WorkerTimings(), NullLogger<HttpTriggerEndpoints>.Instance);
        ((IEndpointRouteBuilder)app).DataSources.Add(endpoints);
        await app.StartAsync();
        client = app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app!.DisposeAsync();
    }

    public void Dispose() => registry.Dispose();

    [Theory]
    [InlineData("GET", "/api/health", "id-Health")]
    [InlineData("POST", "/api/projects/7/external_status_checks", "id-ListChecks")]
    [InlineData("PUT", "/api/projects/7/external_status_checks/42", "id-UpdateCheck")]
    [InlineData("GET", "/api/projects/7/deliveries", "id-Deliveries")]
    [InlineData("GET", "/api/projects/7/deliveries/9", "id-Deliveries")]
    [InlineData("GET", "/api/DefaultRoute", "id-DefaultRoute")]
    [InlineData("PATCH", "/api/v4/anything/else", "id-NotFound")]
    public async Task Request_MatchingRouteAndMethod_InvokesThatFunction(string method, string path, string functionId)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(functionId, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health")] // no route prefix
    [InlineData("/api/unknown")]
    [InlineData("/api/projects/7/external_status_checks/not-a-number")] // {check_id:long} constraint
    public async Task Request_NoMatchingRoute_Returns404WithoutInvoking(string path)
    {
        using var response = await client.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(invocations);
    }

    [Fact]
    public async Task Request_RouteMatchesButMethodDoesNot_Returns405WithAllow()
    {
        using var response = await client.PostAsync("/api/health", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        Assert.Empty(invocations);
    }

    [Fact]
    public async Task Request_SpecificRouteAndCatchAllUnderSamePrefix_SpecificRouteWins()
    {
        registry.Publish([.. registry.Functions, TestFunctions.Http("V4Version", "v4/version", "get")]);

        using var specific = await client.GetAsync("/api/v4/version");
        using var other = await client.GetAsync("/api/v4/versions");

        Assert.Equal("id-V4Version", await specific.Content.ReadAsStringAsync());
        Assert.Equal("id-NotFound", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_RouteParameters_AreSentAsParamsAndTriggerMetadata()
    {
        using var response = await client.DeleteAsync("/api/projects/group%2Fproject/external_status_checks/42");

        var request = Assert.Single(invocations);
        var http = request.InputData.Single().Data.Http;
        Assert.Equal("request", request.InputData.Single().Name);
        Assert.Equal("42", http.NullableParams["check_id"].Value);
        Assert.Equal("42", request.TriggerMetadata["check_id"].String);
        Assert.EndsWith("/api/projects/group%2Fproject/external_status_checks/42", http.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_NewFunctionList_ReplacesTheRoutes()
    {
        registry.Publish([TestFunctions.Http("Other", "other", "get")]);

        using var gone = await client.GetAsync("/api/health");
        using var added = await client.GetAsync("/api/other");

        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    [Fact]
    public async Task Request_WorkerStoppedDuringInvocation_Returns500WithJsonMessage()
    {
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WorkerUnavailableException("The function worker process stopped."));

        using var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("worker process stopped", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_FunctionFailed_Returns500WithJsonMessage()
    {
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InvocationResponse { Result = new StatusResult { Status = StatusResult.Types.Status.Failure } });

        using var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"message":"500 Internal Server Error"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("api", "health", "api/health")]
    [InlineData("", "health", "health")]
    [InlineData("/api/", "/v4/{*path}", "api/v4/{*path}")]
    public void RouteTemplate_PrefixAndRoute_JoinedWithOneSlash(string prefix, string route, string expected)
    {
        Assert.Equal(expected, HttpTriggerEndpoints.RouteTemplate(prefix, route));
    }

    private static InvocationResponse Ok(string body) => new()
    {
        Result = new StatusResult { Status = StatusResult.Types.Status.Success },
        ReturnValue = new TypedData
        {
            Http = new RpcHttp { StatusCode = "200", Body = new TypedData { Bytes = ByteString.CopyFromUtf8(body) } },
        },
    };
}
