using System.Globalization;
using System.Text.Json;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Worker;

/// <summary>How to start the worker, from the app's worker.config.json.</summary>
public sealed record WorkerLaunch(string AppDirectory, string Executable, string WorkerPath)
{
    private const string MaxMessageLength = "2147483647"; // without it the worker's channel gets a 0-byte limit

    public static WorkerLaunch Read(string appDirectory)
    {
        var directory = Path.GetFullPath(appDirectory);
        var configPath = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new LocalHostException(
                $"No Functions app at {directory} (worker.config.json missing): build src/StatusChecks.Functions first, or pass --app-dir.");
        }

        string? executable, workerPath;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath));
            var description = document.RootElement.GetProperty("description");
            executable = description.TryGetProperty("defaultExecutablePath", out var exe) ? exe.GetString() : null;
            workerPath = description.TryGetProperty("defaultWorkerPath", out var worker) ? worker.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new LocalHostException($"{configPath} is not a valid worker.config.json: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(workerPath) || !File.Exists(Path.Combine(directory, workerPath)))
        {
            throw new LocalHostException($"The worker assembly '{workerPath}' is missing in {directory}: build the Functions app first.");
        }

        return new WorkerLaunch(directory, string.IsNullOrWhiteSpace(executable) ? "dotnet" : executable, Path.Combine(directory, workerPath));
    }

    /// <summary>
    /// The worker's command line: the <c>--functions-*</c> switches the worker reads, plus the older set the real
    /// host also passes.
    /// </summary>
    public IReadOnlyList<string> Arguments(int grpcPort, string workerId, string requestId) =>
    [
        WorkerPath,
        "--host", "127.0.0.1",
        "--port", grpcPort.ToString(CultureInfo.InvariantCulture),
        "--workerId", workerId,
        "--requestId", requestId,
        "--grpcMaxMessageLength", MaxMessageLength,
        "--functions-uri", $"http://127.0.0.1:{grpcPort.ToString(CultureInfo.InvariantCulture)}/",
        "--functions-worker-id", workerId,
        "--functions-request-id", requestId,
        "--functions-grpc-max-message-length", MaxMessageLength,
    ];
}
