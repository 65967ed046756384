using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace StatusChecks.Core.Notifications;

/// <summary>One POST to an external status check service.</summary>
internal sealed record WebhookRequest(Uri Url, Guid EventId, Guid IdempotencyKey, string Body, string? Secret);

/// <summary>How one attempt went. <see cref="Retryable"/> is false for refusals (SSRF guard, deleted check) and final answers (<see cref="DeliveryRules.IsRetryable"/>).</summary>
internal sealed record WebhookResult(bool Succeeded, int? ResponseCode, TimeSpan Duration, string? Error, bool Retryable)
{
    public static WebhookResult Refused(string error) => new(false, null, TimeSpan.Zero, error, Retryable: false);
}

/// <summary>
/// Sends one delivery with the named client (SSRF-guarded connections, no redirects, a per-request timeout from
/// Microsoft.Extensions.Http.Resilience) and classifies the outcome. Success = a 2xx within the timeout.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, IOptions<NotificationOptions> options)
{
    public const string ClientName = "StatusChecks.Notifications";
    public const string EventHeader = "X-Gitlab-Event";
    public const string EventUuidHeader = "X-Gitlab-Event-UUID";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string MergeRequestHook = "Merge Request Hook";

    /// <summary><c>StatusChecks/&lt;version&gt;</c>, the version without build metadata.</summary>
    public static string UserAgent { get; } = "StatusChecks/" +
        (typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    public async Task<WebhookResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var message = Create(request, time.GetUtcNow());
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookResult(true, code, time.GetElapsedTime(started), null, Retryable: false)
                : new WebhookResult(false, code, time.GetElapsedTime(started), $"HTTP {code} {response.ReasonPhrase}".TrimEnd(), DeliveryRules.IsRetryable(code));
        }
        catch (HttpRequestException e) when (Find<DeliveryRefusedException>(e) is { } refused)
        {
            return new WebhookResult(false, null, time.GetElapsedTime(started), refused.Message, Retryable: false);
        }
        catch (HttpRequestException e)
        {
            return new WebhookResult(false, null, time.GetElapsedTime(started), e.Message, Retryable: true);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new WebhookResult(false, null, time.GetElapsedTime(started), $"No response within {options.Value.RequestTimeout.TotalSeconds:0.###} s", Retryable: true);
        }
    }

    /// <summary>The request with GitLab's headers and, with a shared secret, both signatures.</summary>
    internal static HttpRequestMessage Create(WebhookRequest request, DateTimeOffset now)
    {
        var body = Encoding.UTF8.GetBytes(request.Body);
        var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.Add(EventHeader, MergeRequestHook);
        message.Headers.Add(EventUuidHeader, request.EventId.ToString());
        message.Headers.Add(IdempotencyHeader, request.IdempotencyKey.ToString());
        if (request.Secret is { Length: > 0 } secret)
        {
            var timestamp = now.ToUnixTimeSeconds();
            message.Headers.Add(WebhookSignatures.GitLabHeader, WebhookSignatures.GitLab(body, secret));
            message.Headers.Add(WebhookSignatures.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.Headers.Add(WebhookSignatures.SignatureHeader, WebhookSignatures.Timestamped(timestamp, body, secret));
        }

        return message;
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
