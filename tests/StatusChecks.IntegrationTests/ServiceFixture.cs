namespace StatusChecks.IntegrationTests;

/// <summary>
/// One real Azurite and one local host running the real worker, shared by every test class in the
/// <see cref="ServiceCollection"/>; stopped at the end so nothing is left running. Its responses report their storage
/// round trips (a diagnostic the tests turn on; off by default), so tests can assert them per route.
/// </summary>
public sealed class ServiceFixture : IsolatedService
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } =
        new Dictionary<string, string?>(FastQueueSettings) { ["StatusChecks__Storage__ReportCalls"] = "true" };
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

/// <summary>
/// The tests that load one service with hundreds of parallel requests: their own service, run after the parallel
/// collections and alone, so other tests' hosts, Azurites and client builds do not share the two cores with them
/// (under that load Azurite answered some calls after the 5 s storage timeout, and the service said 503).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConcurrencyCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "concurrency";
}
