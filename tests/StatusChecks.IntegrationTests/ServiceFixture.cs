namespace StatusChecks.IntegrationTests;

/// <summary>
/// One real Azurite and one local host running the real worker, shared by every test class in the
/// <see cref="ServiceCollection"/>; stopped at the end so nothing is left running.
/// </summary>
public sealed class ServiceFixture : IsolatedService
{
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
