using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

/// <summary>The services over Moq stores: one project (id 7, caller is admin) unless a test says otherwise.</summary>
internal sealed class Harness
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<(long Iid, string Sha, long CheckId), CheckResponseEntity> latest = [];
    private long nextId = 1000;

    public Harness()
    {
        Access.Setup(a => a.RequireAsync(It.IsAny<Caller>(), It.IsAny<ProjectRef>(), It.IsAny<AccessLevel>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Project);
        Access.Setup(a => a.ResolveAsync(It.IsAny<Caller>(), It.IsAny<ProjectRef>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Caller caller, ProjectRef _, bool write, CancellationToken _) =>
            {
                ProjectAccess.RequireWriteScope(caller, write); // as the real ResolveAsync: a read_api token never writes
                return new ProjectRole(Project, CallerRole, caller.IsAdmin);
            });
        Ids.Setup(i => i.NextAsync(It.IsAny<IdKind>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => Interlocked.Increment(ref nextId));
        Secrets.Setup(s => s.Protect(It.IsAny<string>())).Returns<string>(secret => "protected:" + secret.Length);
        // Moq's empty default does not cover IReadOnlyList<T>: lists are empty unless a test gives some.
        GivenChecks();
        GivenBranches();
        Responses.Setup(r => r.ReadAsync(It.IsAny<long>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((long projectId, long iid, string sha, CancellationToken _) => new MergeRequestStatuses(
                projectId,
                iid,
                sha,
                latest.Where(pair => pair.Key.Iid == iid && pair.Key.Sha == sha).ToDictionary(pair => pair.Key.CheckId, pair => pair.Value),
                new Dictionary<long, CheckResetEntity>(),
                null));
        Projects.Setup(p => p.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => Project);
        MergeRequests.Setup(m => m.ListOpenAsync(It.IsAny<long>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        Shapes = new Shapes(Options);
        Evaluator = new MergeRequestEvaluator(Checks.Object, Branches.Object, Responses.Object, Shapes, Time, Options);
    }

    /// <summary>The role a non-admin caller has on <see cref="Project"/> (admin callers have every role).</summary>
    public AccessLevel CallerRole { get; set; } = AccessLevel.Owner;

    public ProjectEntity Project { get; set; } = new() { Id = 7, Name = "Demo", Path = "demo", Namespace = "root", CreatedAt = Now };

    public FakeTimeProvider Time { get; } = new(Now);

    public IOptions<StatusChecksOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new StatusChecksOptions());

    public Mock<IProjectAccess> Access { get; } = new();

    public Mock<IStatusCheckStore> Checks { get; } = new();

    public Mock<IProtectedBranchStore> Branches { get; } = new();

    public Mock<IMergeRequestStore> MergeRequests { get; } = new();

    public Mock<ICheckResponseStore> Responses { get; } = new();

    public Mock<IMemberStore> Members { get; } = new();

    public Mock<IUserStore> Users { get; } = new();

    public Mock<IProjectStore> Projects { get; } = new();

    public Mock<IIdGenerator> Ids { get; } = new();

    public Mock<ISecretProtector> Secrets { get; } = new();

    public Mock<IMergeRequestEvents> Events { get; } = new();

    public Shapes Shapes { get; }

    public MergeRequestEvaluator Evaluator { get; }

    public StatusCheckService StatusChecks() =>
        new(Access.Object, Checks.Object, MergeRequests.Object, Responses.Object, Evaluator, Secrets.Object, Events.Object, Ids.Object, Time);

    public MergeRequestService MergeRequestService() =>
        new(Access.Object, Projects.Object, MergeRequests.Object, Evaluator, Events.Object, Ids.Object, Time);

    public MemberService MemberService() => new(Access.Object, Members.Object, Users.Object, Shapes, Time);

    public UserService UserService() => new(Users.Object, Ids.Object, Shapes, Time);

    public ProjectService ProjectService() => new(Access.Object, Projects.Object, Ids.Object, Shapes, Time);

    public StatusCheckEntity GivenCheck(long id, string name = "ci", params long[] branchIds)
    {
        var check = new StatusCheckEntity
        {
            Id = id,
            ProjectId = Project.Id,
            Name = name,
            ExternalUrl = $"https://ci.example/{id}",
            ProtectedBranchIds = string.Join(',', branchIds),
            CreatedAt = Now.AddDays(-1),
        };
        Checks.Setup(c => c.GetAsync(Project.Id, id, It.IsAny<CancellationToken>())).ReturnsAsync(check);
        return check;
    }

    public void GivenChecks(params StatusCheckEntity[] checks) =>
        Checks.Setup(c => c.ListAllAsync(Project.Id, It.IsAny<CancellationToken>())).ReturnsAsync(checks);

    public void GivenBranches(params ProtectedBranchEntity[] branches) =>
        Branches.Setup(b => b.ListAllAsync(Project.Id, It.IsAny<CancellationToken>())).ReturnsAsync(branches);

    public MergeRequestEntity GivenMergeRequest(long iid = 1, string target = "main", string sha = Storage.Sha.A, string state = MergeRequestStates.Opened)
    {
        var mergeRequest = new MergeRequestEntity
        {
            Id = 500 + iid,
            Iid = iid,
            ProjectId = Project.Id,
            Title = "Change",
            State = state,
            SourceBranch = "feature",
            TargetBranch = target,
            Sha = sha,
            CreatedAt = Now,
            UpdatedAt = Now,
            ShaChangedAt = Now,
            NotifiedAt = Now,
        };
        MergeRequests.Setup(m => m.GetAsync(Project.Id, iid, It.IsAny<CancellationToken>())).ReturnsAsync(mergeRequest);
        return mergeRequest;
    }

    public void GivenLatestResponse(long iid, long checkId, string sha, string status, DateTimeOffset at) =>
        latest[(iid, sha, checkId)] = new CheckResponseEntity { CheckId = checkId, Sha = sha, Status = status, CreatedAt = at };
}

internal static class DomainAssert
{
    public static async Task<DomainError> ThrowsAsync(Func<Task> act) => (await Assert.ThrowsAsync<DomainException>(act)).Error;
}
