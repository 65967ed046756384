using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Storage;

namespace StatusChecks.Functions.Http;

/// <summary>
/// With <see cref="StorageOptions.ReportCalls"/> on (tests, benchmark; never by default), counts the storage round trips of
/// each HTTP invocation and reports them in response headers, so a test can assert them per route.
/// </summary>
public sealed class StorageCallsMiddleware(IOptions<StorageOptions> options) : IFunctionsWorkerMiddleware
{
    public const string CallsHeader = "X-StatusChecks-Storage-Calls";
    public const string RoundTripsHeader = "X-StatusChecks-Storage-Round-Trips";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!options.Value.ReportCalls)
        {
            await next(context);
            return;
        }

        var counter = StorageCallCounter.Start();
        await next(context);
        if (context.GetHttpResponseData() is { } response)
        {
            response.Headers.Add(CallsHeader, counter.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.Headers.Add(RoundTripsHeader, counter.Sequential.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
