using System.Net.Http.Headers;
using System.Text.Json;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Notifications;

/// <summary>What the benchmark's floors do with the webhooks a <see cref="WebhookSink"/> received.</summary>
internal static class SinkReplay
{
    /// <summary>A client as plain as the loops that compare with the service: no proxy, cookies or redirects.</summary>
    public static HttpClient CreatePlainClient() =>
        new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false });

    /// <summary>POSTs a received body again to the endpoint that received it; throws unless it answers 2xx.</summary>
    public static async Task ReplayAsync(this WebhookSink sink, HttpClient http, SinkRequest request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(sink.Urls[request.Endpoint], content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The MR HEAD the notification is about (object_attributes.last_commit.id).</summary>
    public static string Sha(this SinkRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.GetProperty("object_attributes").GetProperty("last_commit").GetProperty("id").GetString() ?? "";
    }
}
