using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Worker;

public sealed class WorkerLaunchTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("localhost-launch-").FullName;

    [Fact]
    public void Read_BuiltApp_UsesWorkerConfig()
    {
        File.WriteAllText(Path.Combine(directory, "worker.config.json"), """
            { "description": { "language": "dotnet-isolated", "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }
            """);
        File.WriteAllText(Path.Combine(directory, "App.dll"), "");

        var launch = WorkerLaunch.Read(directory);

        Assert.Equal("dotnet", launch.Executable);
        Assert.Equal(Path.Combine(directory, "App.dll"), launch.WorkerPath);
    }

    [Fact]
    public void Read_NotBuilt_ThrowsClearLocalHostException()
    {
        var error = Assert.Throws<LocalHostException>(() => WorkerLaunch.Read(directory));

        Assert.Contains("worker.config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_Always_PassNewAndLegacySwitchesWithMaxMessageLength()
    {
        var arguments = new WorkerLaunch("/app", "dotnet", "/app/App.dll").Arguments(5005, "w1", "r1");

        Assert.Equal("/app/App.dll", arguments[0]);
        Assert.Equal("http://127.0.0.1:5005/", After("--functions-uri"));
        Assert.Equal("w1", After("--functions-worker-id"));
        Assert.Equal("r1", After("--functions-request-id"));
        Assert.Equal("2147483647", After("--functions-grpc-max-message-length"));
        Assert.Equal("5005", After("--port"));
        Assert.Equal("w1", After("--workerId"));
        Assert.Equal("2147483647", After("--grpcMaxMessageLength"));

        string After(string name) => arguments[arguments.ToList().IndexOf(name) + 1];
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
