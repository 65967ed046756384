
namespace StatusChecks.IntegrationTests.Clients;

/// <summary>
/// A service of its own, deployed as in the README (SSRF guard on): the client scripts point their checks at
/// loopback addresses, which the guard refuses once without retrying, so no delivery outlives the class.
/// </summary>
public sealed class RealClientsService : IsolatedService
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(FastQueueSettings)
    {
        ["StatusChecks__Notifications__AllowPrivateNetworks"] = "false",
    };
}

/// <summary>
/// Stock GitLab client libraries drive the seed routes end to end against the real service: each script under
/// tests/clients (see its README) runs as its own process and exits non-zero on the first step that fails.
/// The libraries come from the package managers, as their users get them: gitbeaker from npm (pinned in
/// package-lock.json), python-gitlab and go-gitlab from Debian (installed with apt-get on first use when missing).
/// </summary>
public sealed class RealClientTests(RealClientsService service) : IClassFixture<RealClientsService>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly string ClientsDirectory = Path.Combine(RepositoryPaths.Root, "tests", "clients");

    [Fact]
    public async Task Gitbeaker_DrivesTheSeedRoutesEndToEnd()
    {
        await NodeTools.EnsurePackageAsync(RepositoryPaths.Root, "@gitbeaker/rest");

        await RunAsync("node", [Path.Combine(ClientsDirectory, "gitbeaker", "seed-routes.mjs")]);
    }

    [Fact]
    public async Task PythonGitlab_DrivesTheSeedRoutesEndToEnd()
    {
        // Debian's interpreter and package, not whatever python3 comes first on PATH.
        const string python = "/usr/bin/python3";
        await DebianPackages.EnsureAsync("python3-gitlab", "/usr/lib/python3/dist-packages/gitlab/__init__.py");

        await RunAsync(python, [Path.Combine(ClientsDirectory, "python-gitlab", "seed_routes.py")]);
    }

    [Fact]
    public async Task GoGitlab_DrivesTheSeedRoutesEndToEnd()
    {
        const string go = "/usr/bin/go";
        await DebianPackages.EnsureAsync("golang-go", go);
        await DebianPackages.EnsureAsync("golang-github-xanzy-go-gitlab-dev", "/usr/share/gocode/src/github.com/xanzy/go-gitlab/external_status_checks.go");
        var binary = Path.Combine(Path.GetTempPath(), $"statuschecks-go-gitlab-{Guid.NewGuid():N}");
        try
        {
            // GOPATH mode against Debian's source packages: no module download, works offline.
            var environment = new Dictionary<string, string?>
            {
                ["GOPATH"] = "/usr/share/gocode",
                ["GO111MODULE"] = "off",
                ["GOFLAGS"] = "",
                ["GOCACHE"] = Path.Combine(RepositoryPaths.Root, ".local", "go-build-cache"),
            };
            await using (var build = ChildProcess.Start(go, ["build", "-o", binary, "."], Path.Combine(ClientsDirectory, "go-gitlab"), environment))
            {
                var code = await build.ExitCodeAsync(BuildTimeout);
                Assert.True(code == 0, $"go build exited with {code}:{Environment.NewLine}{build.Output}");
            }

            await RunAsync(binary, []);
        }
        finally
        {
            File.Delete(binary);
        }
    }

    private async Task RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["STATUSCHECKS_URL"] = $"http://127.0.0.1:{service.Host.Port}",
            ["STATUSCHECKS_ADMIN_TOKEN"] = service.Host.AdminToken,
        };
        await using var script = ChildProcess.Start(fileName, arguments, RepositoryPaths.Root, environment);
        var code = await script.ExitCodeAsync(ScriptTimeout);
        Assert.True(code == 0, $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {code}:{Environment.NewLine}{script.Output}");
        Assert.Contains("all steps passed", script.Output, StringComparison.Ordinal);
    }
}
