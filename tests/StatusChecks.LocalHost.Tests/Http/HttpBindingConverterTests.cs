using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StatusChecks.LocalHost.Http;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Tests.Http;

public sealed class HttpBindingConverterTests
{
    [Fact]
    public async Task ToInvocationRequestAsync_FullRequest_BuildsRpcHttpAsTheWorkerExpects()
    {
        var context = Request("POST", "/api/projects/group%2Fproject/external_status_checks", "?page=2&tag=a&tag=b", """{"name":"x"}""");
        context.Request.Headers["X-Custom"] = new(["one", "two"]);
        context.Request.Headers.ContentType = "application/json";
        context.Request.RouteValues["id"] = "group%2Fproject";
        var function = TestFunctions.Http("ListChecks", "projects/{id}/external_status_checks", "post");

        var invocation = await HttpBindingConverter.ToInvocationRequestAsync(context, function, "inv-1");

        Assert.Equal("inv-1", invocation.InvocationId);
        Assert.Equal("id-ListChecks", invocation.FunctionId);
        Assert.False(string.IsNullOrEmpty(invocation.TraceContext.TraceParent));
        var binding = Assert.Single(invocation.InputData);
        Assert.Equal("request", binding.Name);
        var http = binding.Data.Http;
        Assert.Equal("POST", http.Method);
        Assert.Equal("http://localhost:7071/api/projects/group%2Fproject/external_status_checks?page=2&tag=a&tag=b", http.Url);
        Assert.Equal(TypedData.DataOneofCase.Bytes, http.Body.DataCase);
        Assert.Equal("""{"name":"x"}""", http.Body.Bytes.ToStringUtf8());
        Assert.Equal("one, two", http.NullableHeaders["x-custom"].Value);
        Assert.Equal("application/json", http.NullableHeaders["content-type"].Value);
        Assert.DoesNotContain(http.NullableHeaders.Keys, key => key.Any(char.IsUpper));
        Assert.Equal("2", http.NullableQuery["page"].Value);
        Assert.Equal("a,b", http.NullableQuery["tag"].Value);
        Assert.Equal("group%2Fproject", http.NullableParams["id"].Value);
        Assert.Equal("group%2Fproject", invocation.TriggerMetadata["id"].String);
        Assert.Equal("2", JsonDocument.Parse(invocation.TriggerMetadata["Query"].Json).RootElement.GetProperty("page").GetString());
        Assert.Equal("one, two", JsonDocument.Parse(invocation.TriggerMetadata["Headers"].Json).RootElement.GetProperty("X-Custom").GetString());
    }

    [Fact]
    public async Task ToInvocationRequestAsync_NoBody_SendsEmptyBytesBody()
    {
        var context = Request("GET", "/api/health", "", "");

        var invocation = await HttpBindingConverter.ToInvocationRequestAsync(context, TestFunctions.Http("Health", "health"), "i");

        var body = invocation.InputData.Single().Data.Http.Body;
        Assert.Equal(TypedData.DataOneofCase.Bytes, body.DataCase);
        Assert.True(body.Bytes.IsEmpty);
    }

    [Fact]
    public async Task WriteResponseAsync_RpcHttp_CopiesStatusHeadersAndBody()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var http = new RpcHttp { StatusCode = "201", Body = new TypedData { Bytes = ByteString.CopyFromUtf8("""{"id":1}""") } };
        http.Headers["Content-Type"] = "application/json; charset=utf-8";
        http.Headers["Location"] = "/api/checks/1";
        http.Headers["Content-Length"] = "999"; // framing is the host's business

        await HttpBindingConverter.WriteResponseAsync(context.Response, http, CancellationToken.None);

        Assert.Equal(201, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("/api/checks/1", context.Response.Headers.Location);
        Assert.Equal(8, context.Response.ContentLength);
        Assert.Equal("""{"id":1}""", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task WriteResponseAsync_NoHttpOutput_Returns204()
    {
        var context = new DefaultHttpContext();

        await HttpBindingConverter.WriteResponseAsync(context.Response, null, CancellationToken.None);

        Assert.Equal(204, context.Response.StatusCode);
    }

    [Fact]
    public void FindHttpResponse_ReturnBinding_UsesReturnValue()
    {
        var response = new InvocationResponse { ReturnValue = new TypedData { Http = new RpcHttp { StatusCode = "202" } } };

        Assert.Equal("202", HttpBindingConverter.FindHttpResponse(response, TestFunctions.Http("F", "f"))?.StatusCode);
    }

    [Fact]
    public void FindHttpResponse_NamedHttpOutputBinding_UsesThatOutput()
    {
        var function = TestFunctions.Function("Multi",
            new { name = "request", type = "httpTrigger", direction = "In" },
            new { name = "HttpResponse", type = "http", direction = "Out" },
            new { name = "Message", type = "queue", direction = "Out", queueName = "out" });
        var response = new InvocationResponse();
        response.OutputData.Add(new ParameterBinding { Name = "Message", Data = new TypedData { String = "queued" } });
        response.OutputData.Add(new ParameterBinding { Name = "HttpResponse", Data = new TypedData { Http = new RpcHttp { StatusCode = "409" } } });

        Assert.Equal("409", HttpBindingConverter.FindHttpResponse(response, function)?.StatusCode);
    }

    private static DefaultHttpContext Request(string method, string path, string query, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = path + query;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context;
    }
}
