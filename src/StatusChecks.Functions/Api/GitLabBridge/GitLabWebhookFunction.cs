using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Bridge;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.GitLabBridge;

/// <summary>
/// (extension, docs/API.md (The GitLab bridge)) POST /api/webhooks/gitlab: GitLab's project webhook. No PRIVATE-TOKEN: the
/// <c>X-Gitlab-Token</c> secret authenticates it (401, nothing stored, otherwise). A Merge Request Hook is stored once
/// per <c>X-Gitlab-Event-UUID</c> and queued (201; a replay 200), other events are acknowledged and dropped (200).
/// </summary>
public sealed class GitLabWebhookFunction(IGitLabWebhookReceiver receiver)
{
    [Function("GitLabWebhook")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/gitlab")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        var uuid = Header(request, GitLabWebhookAnswer.UuidHeader);
        var receipt = await receiver.ReceiveAsync(Header(request, "X-Gitlab-Token"), Header(request, "X-Gitlab-Event"), uuid, body, cancellationToken);
        return receipt switch
        {
            WebhookReceipt.Accepted => await request.CreatedAsync(new GitLabWebhookAnswer("queued", uuid), cancellationToken),
            WebhookReceipt.Duplicate => await request.OkAsync(new GitLabWebhookAnswer("duplicate", uuid), cancellationToken),
            _ => await request.OkAsync(new GitLabWebhookAnswer("ignored", null), cancellationToken),
        };
    }

    private static string? Header(HttpRequestData request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>At most 1 MiB (the API's limit): one byte more is 413, and no more than that is buffered.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (long.TryParse(Header(request, "Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > ApiRequest.MaxBodyBytes)
        {
            throw new ApiRequestException(ApiError.RequestTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, ApiRequest.MaxBodyBytes + 1L - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > ApiRequest.MaxBodyBytes)
            {
                throw new ApiRequestException(ApiError.RequestTooLarge);
            }
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// The webhook's answer: <c>queued</c> (201) or <c>duplicate</c> (200) with the event's UUID as sent, or <c>ignored</c>
/// (200, another event kind) without one.
/// </summary>
public sealed record GitLabWebhookAnswer(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EventUuid)
{
    public const string UuidHeader = "X-Gitlab-Event-UUID";
}
