using System.Globalization;
using StatusChecks.Testing;

// Usage: dotnet run --project tests/StatusChecks.FakeGitLab -- --port 8929 --token <GitLab token> --project <GitLab project id> --commit <sha> [--commit <sha> ...]
// Serves POST /api/v4/projects/:id/statuses/:sha on 127.0.0.1 as GitLab does (see FakeGitLab) and prints every request
// with its answer, until stopped (Ctrl+C or SIGTERM).
var options = new Dictionary<string, List<string>>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.TryGetValue(args[i], out var values))
    {
        options[args[i]] = values = [];
    }

    values.Add(args[i + 1]);
}

string Single(string name) => options.TryGetValue(name, out var values) && values.Count == 1
    ? values[0]
    : throw new ArgumentException($"Give {name} once (usage: --port N --token T --project ID --commit SHA ...).");

await using var gitlab = await FakeGitLab.StartAsync(
    Single("--token"),
    long.Parse(Single("--project"), CultureInfo.InvariantCulture),
    int.Parse(Single("--port"), CultureInfo.InvariantCulture),
    options.GetValueOrDefault("--commit") ?? []);
gitlab.Log = line => Console.WriteLine(line);
Console.WriteLine($"Fake GitLab commit status API: {gitlab.Url}/api/v4/projects/{gitlab.ProjectId}/statuses/:sha");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Stopped.
}
