using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class ConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateCheck_50ParallelSameName_ExactlyOneSucceeds()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var checks = domain.Get<IStatusCheckService>();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Check: await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("same", $"https://ci.example/{i}")), Error: (DomainError?)null);
            }
            catch (DomainException e)
            {
                return (Check: (ExternalStatusCheck?)null, Error: e.Error);
            }
        })));

        Assert.Single(attempts, a => a.Check is not null);
        Assert.All(
            attempts.Where(a => a.Check is null),
            a => Assert.Equal(["Name has already been taken"], Assert.IsType<DomainError.RecordInvalid>(a.Error).Messages));
        var list = await checks.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Create(1, 100));
        Assert.Equal(1, list.Total);
        Assert.Equal("same", Assert.Single(list.Items).Name);
    }

    [Fact]
    public async Task CreateCheck_200ParallelDistinct_DistinctIdsAndTotal200()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var checks = domain.Get<IStatusCheckService>();

        var created = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck($"check {i}", $"https://ci.example/{i}")))));

        Assert.Equal(200, created.Select(c => c.Id).Distinct().Count());
        Assert.All(created, c => Assert.True(c.Id > 0));
        var first = await checks.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Create(1, 100));
        var second = await checks.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Create(2, 100));
        Assert.Equal(200, first.Total);
        Assert.Equal(
            created.Select(c => c.Id).Order(),
            first.Items.Concat(second.Items).Select(c => c.Id));
        Assert.Equal(200, (await domain.AuditAsync(project.Id)).Count);
    }

    [Fact]
    public async Task Respond_ConcurrentOnOneMergeRequest_LosesNothing()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var checks = domain.Get<IStatusCheckService>();
        var check1 = await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("one", "https://ci.example/1"));
        var check2 = await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("two", "https://ci.example/2"));
        var mr = await domain.NewMergeRequestAsync(project);

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            checks.RespondAsync(domain.Admin, ProjectRef.ById(project.Id), mr.Iid, new NewStatusCheckResponse(Sha.A, i % 2 == 0 ? check1.Id : check2.Id, i % 3 == 0 ? "failed" : "passed")))));

        Assert.Equal(60, responses.Select(r => r.Id).Distinct().Count());
        var stored = new List<string>();
        // The history rows (one per response) live in the project's partition of the MergeRequests table.
        await foreach (var row in domain.Table(StatusChecksTables.MergeRequests).QueryAsync<CheckResponseEntity>(
                           r => r.PartitionKey == project.Id.ToString() && r.RowKey.CompareTo("resp|") > 0 && r.RowKey.CompareTo("resp|~") < 0))
        {
            stored.Add(row.RowKey);
        }

        Assert.Equal(60, stored.Count);
        // Each check's status is one of its responses: the one recorded last (as GitLab's last inserted row).
        var newest = (await domain.Get<ICheckResponseStore>().ReadAsync(project.Id, mr.Iid, Sha.A, CancellationToken.None)).Latest;
        var statuses = await checks.ListForMergeRequestAsync(domain.Admin, ProjectRef.ById(project.Id), mr.Iid, PageRequest.Default);
        foreach (var check in new[] { check1, check2 })
        {
            var answered = Assert.Single(responses, r => r.Id == newest[check.Id].Id);
            Assert.Equal(check.Id, answered.ExternalStatusCheck.Id);
            Assert.Equal(answered.Status, statuses.Items.Single(s => s.Id == check.Id).Status);
        }
    }

    [Fact]
    public async Task CreateMergeRequest_20Parallel_IidsAreDense()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => domain.NewMergeRequestAsync(project))));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), created.Select(mr => mr.Iid).Order());
        Assert.Equal(20, created.Select(mr => mr.Id).Distinct().Count());
    }

    [Fact]
    public async Task CreateProject_10ParallelSamePath_ExactlyOneSucceeds()
    {
        await using var domain = azurite.CreateDomain();
        var projects = domain.Get<IProjectService>();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await projects.CreateAsync(domain.Admin, new NewProject($"Name {i}", i % 2 == 0 ? "Shared" : "shared"));
                return true;
            }
            catch (DomainException e) when (e.Error is DomainError.ValidationFailed failed && failed.Errors.ContainsKey("path"))
            {
                return false;
            }
        })));

        Assert.Single(results, ok => ok);
    }

    [Fact]
    public async Task UpdateCheck_20ParallelEdits_EachReturnsTheStateItsOwnWriteStored()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var checks = domain.Get<IStatusCheckService>();
        var check = await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("start", "https://ci.example/start"));

        // Half rename, half move the URL: a result re-read after the write could show the other kind's latest value.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => checks.UpdateAsync(
            domain.Admin, ProjectRef.ById(project.Id), check.Id, i % 2 == 0 ? new StatusCheckChanges(Name: $"name {i}") : new StatusCheckChanges(ExternalUrl: $"https://ci.example/{i}")))));

        var audit = (await domain.AuditAsync(project.Id)).Where(a => a.Action == "external_status_check.update").ToList();
        var written = audit.Select(a => System.Text.Json.JsonDocument.Parse(a.Details).RootElement).Select(d => (d.GetProperty("name").GetString(), d.GetProperty("external_url").GetString())).ToList();
        Assert.Equal(20, written.Count);
        Assert.All(results, r => Assert.Contains((r.Name, r.ExternalUrl), written));
        Assert.All(results.Where((_, i) => i % 2 == 0).Select((r, n) => (r.Name, Expected: $"name {2 * n}")), r => Assert.Equal(r.Expected, r.Name));
        Assert.All(results.Where((_, i) => i % 2 == 1).Select((r, n) => (r.ExternalUrl, Expected: $"https://ci.example/{(2 * n) + 1}")), r => Assert.Equal(r.Expected, r.ExternalUrl));
    }
}
