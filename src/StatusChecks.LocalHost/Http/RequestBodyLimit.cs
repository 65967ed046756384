using Microsoft.AspNetCore.Http.Features;

namespace StatusChecks.LocalHost.Http;

/// <summary>
/// The API's 1 MiB body limit, held before anything is buffered (issue 12): a declared Content-Length above it is
/// refused at once, and a body without one (chunked) is read into memory only up to the limit plus one byte, so a
/// hostile upload costs at most 1 MiB per request whichever route (or no route) it names. The worker checks the
/// same limit again; this keeps the host from copying a 95 MB body to it first.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>The worker's limit (ApiRequest.MaxBodyBytes): one byte more is 413.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public const string TooLargeMessage = "413 Request Entity Too Large";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await RefuseAsync(context);
            return;
        }

        if (request.ContentLength is null && HasBody(context))
        {
            var buffered = await ReadAtMostAsync(request.Body, MaxBodyBytes, context.RequestAborted);
            if (buffered is null)
            {
                await RefuseAsync(context);
                return;
            }

            request.Body = buffered;
        }
        else if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // Not for a refused body: Kestrel drains its rest after the answer (for at most 5 s), and a limit
            // would turn that drain into a reset connection before the client has read the 413.
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        await next(context);
    }

    /// <summary>The whole body when it is at most <paramref name="limit"/> bytes, else null (having read limit + 1).</summary>
    public static async Task<MemoryStream?> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffered = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1L - buffered.Length)), cancellationToken)) > 0)
        {
            buffered.Write(chunk, 0, read);
            if (buffered.Length > limit)
            {
                return null;
            }
        }

        buffered.Position = 0;
        return buffered;
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? context.Request.Headers.TransferEncoding.Count > 0;

    // The rest of the body is never buffered: Kestrel reads and discards it after the answer, within its drain timeout.
    private static Task RefuseAsync(HttpContext context) =>
        ErrorResponses.WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, TooLargeMessage);
}
