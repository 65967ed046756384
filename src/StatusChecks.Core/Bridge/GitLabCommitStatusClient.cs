using System.Globalization;
using System.Net.Http;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Bridge;

/// <summary>One POST /projects/:id/statuses/:sha and how it went.</summary>
internal sealed record CommitStatusPostResult(bool Succeeded, int? ResponseCode, TimeSpan Duration, string? Error, bool Retryable);

/// <summary>
/// Posts a commit status to GitLab with the notification client (SSRF guard on every connection, no redirects, no
/// proxy, the request timeout): <c>PRIVATE-TOKEN</c>, form parameters <c>state</c>, <c>ref</c>, <c>name</c>,
/// <c>target_url</c>, <c>description</c> (GitLab's <c>lib/api/commit_statuses.rb</c>). 408, 429, 5xx and network
/// failures are worth a retry; any other answer is final, as for deliveries.
/// </summary>
internal sealed class GitLabCommitStatusClient(IHttpClientFactory clients, TimeProvider time, IOptions<NotificationOptions> options)
{
    /// <summary>GitLab's limit for <c>ref</c>, <c>target_url</c> and <c>description</c>.</summary>
    public const int MaxLength = 255;

    public async Task<CommitStatusPostResult> PostAsync(
        string gitLabUrl, long gitLabProjectId, string accessToken, string sha, string gitRef, DesiredCommitStatus status, string targetUrl, CancellationToken cancellationToken)
    {
        var url = new Uri($"{gitLabUrl}/api/v4/projects/{gitLabProjectId.ToString(CultureInfo.InvariantCulture)}/statuses/{sha}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(
            [
                new("state", status.State),
                new("ref", gitRef),
                new("name", status.Name),
                new("description", status.Description),
                // GitLab refuses a target_url over 255 characters (a long WebBaseUrl): better no link than no status.
                .. targetUrl.Length <= MaxLength ? [new KeyValuePair<string, string>("target_url", targetUrl)] : Array.Empty<KeyValuePair<string, string>>(),
            ]),
        };
        request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", accessToken);
        request.Headers.TryAddWithoutValidation("User-Agent", WebhookSender.UserAgent);
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(WebhookSender.ClientName).SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new CommitStatusPostResult(true, code, time.GetElapsedTime(started), null, Retryable: false);
            }

            var body = await ReadSomeAsync(response, cancellationToken);
            return CommitStatusRules.IsAlreadyInState(code, body, status.State)
                ? new CommitStatusPostResult(true, code, time.GetElapsedTime(started), "Already pending in GitLab", Retryable: false)
                : new CommitStatusPostResult(false, code, time.GetElapsedTime(started), $"HTTP {code} {response.ReasonPhrase}".TrimEnd(), DeliveryRules.IsRetryable(code));
        }
        catch (HttpRequestException e) when (Refused(e) is { } refused)
        {
            return new CommitStatusPostResult(false, null, time.GetElapsedTime(started), refused.Message, Retryable: false);
        }
        catch (HttpRequestException e)
        {
            return new CommitStatusPostResult(false, null, time.GetElapsedTime(started), e.Message, Retryable: true);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new CommitStatusPostResult(false, null, time.GetElapsedTime(started), $"No response within {options.Value.RequestTimeout.TotalSeconds:0.###} s", Retryable: true);
        }
    }

    private static DeliveryRefusedException? Refused(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DeliveryRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>The start of an error body (GitLab's message), never more than 4 KiB.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[4096];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
