using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Moq;

namespace StatusChecks.Functions.Tests.TestDoubles;

/// <summary>An HTTP request as the worker hands it to a function: URL, headers and a body stream.</summary>
internal sealed class FakeHttpRequestData(Uri url, Stream body, string method = "POST")
    : HttpRequestData(Mock.Of<FunctionContext>())
{
    public override Stream Body { get; } = body;

    public override HttpHeadersCollection Headers { get; } = new();

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; } = url;

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method { get; } = method;

    public static FakeHttpRequestData Get(string url) => new(new Uri(url), Stream.Null, "GET");

    public static FakeHttpRequestData With(string url, string contentType, string body) =>
        With(url, contentType, Encoding.UTF8.GetBytes(body));

    public static FakeHttpRequestData With(string url, string contentType, byte[] body)
    {
        var request = new FakeHttpRequestData(new Uri(url), new MemoryStream(body));
        request.Headers.Add("Content-Type", contentType);
        return request;
    }

    public static FakeHttpRequestData Json(string body, string url = "http://localhost/api/v4/projects") =>
        With(url, "application/json", body);

    public static FakeHttpRequestData Form(string body, string url = "http://localhost/api/v4/projects") =>
        With(url, "application/x-www-form-urlencoded", body);

    public override HttpResponseData CreateResponse() => new FakeHttpResponseData(FunctionContext);
}

internal sealed class FakeHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }

    public override HttpHeadersCollection Headers { get; set; } = new();

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies { get; } = Mock.Of<HttpCookies>();

    /// <summary>The body as text, however far the writer left the stream.</summary>
    public string BodyText => Encoding.UTF8.GetString(((MemoryStream)Body).ToArray());

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
