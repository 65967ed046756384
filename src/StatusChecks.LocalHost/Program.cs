using StatusChecks.LocalHost;
using StatusChecks.LocalHost.Configuration;

// A local Azure Functions host: serves the app's HTTP triggers and polls its queue triggers, running the real
// compiled isolated worker (src/StatusChecks.Functions) over the Functions gRPC protocol.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLocalHost(args);
    var app = builder.Build();
    app.MapLocalHost();
    await app.RunAsync();
    return Environment.ExitCode; // set by the worker supervisor on a fatal worker failure
}
catch (Exception ex) when (LocalHostException.Find(ex) is { } fatal)
{
    await Console.Error.WriteLineAsync($"StatusChecks local host: {fatal.Message}");
    return 1;
}
catch (IOException ex) // Kestrel: "Failed to bind to address ...: address already in use."
{
    await Console.Error.WriteLineAsync($"StatusChecks local host: {ex.Message}");
    return 1;
}
