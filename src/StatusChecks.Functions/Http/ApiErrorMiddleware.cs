using System.Reflection;
using Azure;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Http;

/// <summary>
/// Turns every exception that escapes an HTTP function into GitLab's status and body, once, so functions never
/// catch: domain refusals and unreadable requests become their 4xx, an unreachable storage 503, anything else 500.
/// HTTP functions must return their <see cref="HttpResponseData"/> directly (not in a multi-output object),
/// because this replaces the invocation's return value.
/// </summary>
public sealed class ApiErrorMiddleware(ILogger<ApiErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            var request = await context.GetHttpRequestDataAsync();
            if (request is null)
            {
                throw; // not HTTP (e.g. a queue trigger): the host must see the failure to retry the message
            }

            context.GetInvocationResult().Value = await HandleAsync(request, exception, context.FunctionDefinition.Name);
        }
    }

    /// <summary>Logs <paramref name="exception"/> at its level and writes the matching response.</summary>
    internal async Task<HttpResponseData> HandleAsync(HttpRequestData request, Exception exception, string functionName)
    {
        var (error, level) = Classify(exception);
        switch (level)
        {
            case LogLevel.Warning:
                logger.LogWarning(exception, "{Function} could not reach a dependency; answering {Status}", functionName, (int)error.Status);
                break;
            case LogLevel.Error:
                logger.LogError(exception, "{Function} failed unexpectedly; answering {Status}", functionName, (int)error.Status);
                break;
            default:
                logger.LogDebug("{Function} refused the request with {Status}", functionName, (int)error.Status);
                break;
        }

        // None: the invocation may already be cancelled, and the client still deserves the error body.
        return await request.ErrorAsync(error, CancellationToken.None);
    }

    /// <summary>The response for an exception, and how loudly to log it.</summary>
    internal static (ApiError Error, LogLevel Level) Classify(Exception exception) => Unwrap(exception) switch
    {
        DomainException domain => (ApiError.From(domain.Error), LogLevel.Debug),
        ApiRequestException request => (request.Error, LogLevel.Debug),
        var failure when IsUnavailable(failure) => (ApiError.ServiceUnavailable, LogLevel.Warning),
        _ => (ApiError.InternalServerError, LogLevel.Error),
    };

    /// <summary>
    /// Storage or network out of reach. Azure.Core's retry policy gives up with an AggregateException holding every
    /// attempt's failure ("Retry failed after 3 tries"), so an aggregate counts when all its failures do.
    /// </summary>
    private static bool IsUnavailable(Exception exception) => Unwrap(exception) switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        OperationCanceledException or TimeoutException or HttpRequestException or AuthenticationFailedException => true,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };
}

public static class ApiErrorMiddlewareExtensions
{
    /// <summary>Registers <see cref="ApiErrorMiddleware"/> for HTTP-triggered functions only.</summary>
    public static IFunctionsWorkerApplicationBuilder UseGitLabErrorResponses(this IFunctionsWorkerApplicationBuilder builder) =>
        builder
            // Outside the error middleware, so an error response carries the counts too.
            .UseWhen<StorageCallsMiddleware>(IsHttp)
            .UseWhen<ApiErrorMiddleware>(IsHttp);

    private static bool IsHttp(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(binding => binding.Type == "httpTrigger");
}
