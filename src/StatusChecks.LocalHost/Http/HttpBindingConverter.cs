using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Http;

/// <summary>Converts an HTTP request into the worker's RpcHttp invocation, and the worker's RpcHttp reply back.</summary>
public static class HttpBindingConverter
{
    // Framing headers belong to this connection, not to the worker's response.
    private static readonly HashSet<string> SkippedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade",
    };

    public static async Task<InvocationRequest> ToInvocationRequestAsync(
        HttpContext context, FunctionDescriptor function, string invocationId)
    {
        var body = await ByteString.FromStreamAsync(context.Request.Body, context.RequestAborted);
        var http = ToRpcHttp(context, body);
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.Id,
            TraceContext = TraceContexts.Current(),
        };
        invocation.InputData.Add(new ParameterBinding
        {
            Name = function.Trigger?.Name ?? "req",
            Data = new TypedData { Http = http },
        });

        // The worker fills route parameters of the function signature from trigger metadata, not from RpcHttp.
        foreach (var (name, value) in http.NullableParams)
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value.Value };
        }

        invocation.TriggerMetadata["Query"] = new TypedData
        {
            Json = JsonSerializer.Serialize(http.NullableQuery.ToDictionary(q => q.Key, q => q.Value.Value)),
        };
        invocation.TriggerMetadata["Headers"] = new TypedData
        {
            Json = JsonSerializer.Serialize(context.Request.Headers.ToDictionary(h => h.Key, h => JoinHeader(h.Value))),
        };
        return invocation;
    }

    public static RpcHttp ToRpcHttp(HttpContext context, ByteString body)
    {
        var request = context.Request;
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = AbsoluteUrl(context),
            Body = new TypedData { Bytes = body }, // the worker accepts binary bodies only
        };
        foreach (var (name, values) in request.Headers)
        {
            http.NullableHeaders[name.ToLowerInvariant()] = new NullableString { Value = JoinHeader(values) };
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (Convert.ToString(value, CultureInfo.InvariantCulture) is { } text)
            {
                http.NullableParams[name] = new NullableString { Value = text };
            }
        }

        foreach (var (name, values) in request.Query)
        {
            http.NullableQuery[name] = new NullableString { Value = values.ToString() };
        }

        return http;
    }

    /// <summary>
    /// The request URL exactly as the client encoded it (e.g. <c>projects/group%2Fproject</c> must reach the worker
    /// with the %2F intact), made absolute.
    /// </summary>
    public static string AbsoluteUrl(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return rawTarget is { Length: > 0 } && rawTarget[0] == '/'
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{rawTarget}"
            : request.GetEncodedUrl();
    }

    /// <summary>The HTTP reply: the return value, or the output binding of type "http".</summary>
    public static RpcHttp? FindHttpResponse(InvocationResponse response, FunctionDescriptor function)
    {
        var output = function.Bindings.FirstOrDefault(b => b.Direction != BindingInfo.Types.Direction.In && b.IsType("http"));
        if (output is not null && output.Name != "$return"
            && response.OutputData.FirstOrDefault(o => o.Name == output.Name)?.Data?.Http is { } fromOutput)
        {
            return fromOutput;
        }

        return response.ReturnValue?.Http;
    }

    public static async Task WriteResponseAsync(HttpResponse response, RpcHttp? http, CancellationToken cancellationToken)
    {
        if (http is null)
        {
            response.StatusCode = StatusCodes.Status204NoContent; // the function produced no HTTP response
            return;
        }

        response.StatusCode = int.TryParse(http.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : StatusCodes.Status200OK;
        foreach (var (name, value) in http.Headers)
        {
            if (!SkippedResponseHeaders.Contains(name))
            {
                response.Headers[name] = value;
            }
        }

        var body = BodyBytes(http.Body);
        if (body.IsEmpty || status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified
            || HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            return;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    private static ReadOnlyMemory<byte> BodyBytes(TypedData? body) => body?.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => body.Bytes.Memory,
        TypedData.DataOneofCase.Stream => body.Stream.Memory,
        TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(body.String),
        TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(body.Json),
        _ => ReadOnlyMemory<byte>.Empty,
    };

    private static string JoinHeader(Microsoft.Extensions.Primitives.StringValues values) => string.Join(", ", values.ToArray());
}
