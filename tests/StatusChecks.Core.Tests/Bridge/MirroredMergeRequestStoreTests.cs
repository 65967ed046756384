using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Bridge;

/// <summary>Mirrored MRs keep GitLab's (sparse) iids in real Table Storage: list totals count them, API iids never collide.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MirroredMergeRequestStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SparseIids_ListTotalsCounted_ApiIidAfterTheHighest_TakenIidRefused()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var store = domain.Get<IMergeRequestStore>();
        await domain.NewMergeRequestAsync(project); // iid 1 from the API, before the link
        foreach (var iid in new long[] { 12, 5 })
        {
            await store.CreateMirroredAsync(Row(project.Id, iid), (_, _) => Task.CompletedTask, CancellationToken.None);
        }

        var service = domain.Get<IMergeRequestService>();
        var all = await service.ListAsync(domain.Admin, ProjectRef.ById(project.Id), new MergeRequestQuery(), PageRequest.Create(1, 2));
        Assert.Equal([12L, 5L], all.Items.Select(mr => mr.Iid));
        Assert.Equal(3, all.Total);
        var second = await service.ListAsync(domain.Admin, ProjectRef.ById(project.Id), new MergeRequestQuery(), PageRequest.Create(2, 2));
        Assert.Equal([1L], second.Items.Select(mr => mr.Iid));

        Assert.Equal("iid", (await Assert.ThrowsAsync<DuplicateKeyException>(() => store.CreateMirroredAsync(Row(project.Id, 5), (_, _) => Task.CompletedTask, CancellationToken.None))).Field);
        Assert.Equal(13, (await domain.NewMergeRequestAsync(project)).Iid); // e.g. after an unlink: never a mirrored iid
        Assert.Equal(4, (await service.ListAsync(domain.Admin, ProjectRef.ById(project.Id), new MergeRequestQuery(), PageRequest.Default)).Total);
    }

    private static MergeRequestEntity Row(long projectId, long iid) => new()
    {
        Id = 100_000 + iid,
        Iid = iid,
        ProjectId = projectId,
        Title = "Mirrored",
        State = MergeRequestStates.Opened,
        SourceBranch = "feature",
        TargetBranch = "main",
        Sha = Sha.A,
        Author = "admin",
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
        ShaChangedAt = DateTimeOffset.UtcNow,
        NotifiedAt = DateTimeOffset.UtcNow,
        Revision = 1,
        NotifiedRevision = 1,
    };
}
