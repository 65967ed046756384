using System.Diagnostics;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Http;

/// <summary>
/// One ASP.NET Core endpoint per HTTP-triggered function (route prefix + the function's route template, its
/// methods), so route precedence, constraints, 404 and 405 behave as ASP.NET routing does in the real host.
/// Rebuilt whenever the worker (re)loads its functions.
/// </summary>
internal sealed class HttpTriggerEndpoints(
    FunctionRegistry registry,
    HostSettings host,
    IFunctionInvoker invoker,
    WorkerTimings timings,
    ILogger<HttpTriggerEndpoints> logger) : EndpointDataSource
{
    private volatile Snapshot? built;

    public override IReadOnlyList<Endpoint> Endpoints
    {
        get
        {
            var functions = registry.Functions;
            var current = built;
            if (current is null || !ReferenceEquals(current.Functions, functions))
            {
                current = new Snapshot(functions, Build(functions));
                built = current;
            }

            return current.Endpoints;
        }
    }

    public override IChangeToken GetChangeToken() => registry.GetChangeToken();

    public static string RouteTemplate(string routePrefix, string route) =>
        string.Join('/', new[] { routePrefix.Trim('/'), route.Trim('/') }.Where(part => part.Length > 0));

    private List<Endpoint> Build(IEnumerable<FunctionDescriptor> functions)
    {
        var endpoints = new List<Endpoint>();
        foreach (var function in functions.Where(f => f.IsHttpTrigger))
        {
            var trigger = function.Trigger!;
            var template = RouteTemplate(host.RoutePrefix, trigger.GetString("route") ?? function.Name);
            RoutePattern pattern;
            try
            {
                pattern = RoutePatternFactory.Parse(template);
            }
            catch (RoutePatternException ex)
            {
                logger.LogError("Function {Function} has an invalid route '{Route}': {Error}", function.Name, template, ex.Message);
                continue;
            }

            var builder = new RouteEndpointBuilder(context => HandleAsync(context, function), pattern, order: 0)
            {
                DisplayName = $"Functions.{function.Name}",
            };
            var methods = trigger.GetStrings("methods").Select(m => m.ToUpperInvariant()).ToList();
            if (methods.Count > 0)
            {
                builder.Metadata.Add(new HttpMethodMetadata(methods));
            }

            endpoints.Add(builder.Build());
        }

        return endpoints;
    }

    private async Task HandleAsync(HttpContext context, FunctionDescriptor function)
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = Stopwatch.GetTimestamp();
        InvocationResponse response;
        try
        {
            var request = await HttpBindingConverter.ToInvocationRequestAsync(context, function, invocationId);
            response = await invoker.InvokeAsync(request, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("Client disconnected; invocation {InvocationId} of {Function} abandoned", invocationId, function.Name);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await ErrorResponses.WriteAsync(
                context.Response, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestBodyLimit.TooLargeMessage : ex.Message);
            return;
        }
        catch (WorkerUnavailableException ex)
        {
            logger.LogError("Invocation {InvocationId} of {Function} failed: {Reason}", invocationId, function.Name, ex.Message);
            await ErrorResponses.WriteAsync(
                context.Response, ex.NotReady ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, ex.Message);
            return;
        }

        if (response.Result?.Status == StatusResult.Types.Status.Success)
        {
            await HttpBindingConverter.WriteResponseAsync(
                context.Response, HttpBindingConverter.FindHttpResponse(response, function), context.RequestAborted);
        }
        else
        {
            logger.LogError("Function {Function} failed (invocation {InvocationId}): {Error}",
                function.Name, invocationId, response.Result?.Exception?.Message ?? response.Result?.Result);
            await ErrorResponses.WriteAsync(context.Response, StatusCodes.Status500InternalServerError, "500 Internal Server Error");
        }

        logger.LogInformation("Executed 'Functions.{Function}' ({Status}, Id={InvocationId}, Duration={Duration:0}ms)",
            function.Name, context.Response.StatusCode, invocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (timings.FirstRequestServed() is { } sinceWorkerStart)
        {
            logger.LogInformation("First request served {Elapsed:0} ms after the worker process started", sinceWorkerStart.TotalMilliseconds);
        }
    }

    private sealed record Snapshot(IReadOnlyList<FunctionDescriptor> Functions, IReadOnlyList<Endpoint> Endpoints);
}
