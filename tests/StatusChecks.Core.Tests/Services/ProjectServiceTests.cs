using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

/// <summary>Creating projects: paths derived or taken, and who may.</summary>
public sealed class ProjectServiceTests
{
    private readonly Harness h = new();

    [Fact]
    public async Task CreateProjectAsync_NoPath_DerivedFromName()
    {
        var project = await h.ProjectService().CreateAsync(Caller.Admin, new NewProject("My Project", null));

        Assert.Equal(("my-project", "root/my-project", "http://localhost/root/my-project"), (project.Path, project.PathWithNamespace, project.WebUrl));
        h.Projects.Verify(p => p.CreateAsync(It.Is<ProjectEntity>(e => e.Path == "my-project" && e.Namespace == "root"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CreateProjectAsync_DuplicatePath_ValidationFailedPathTaken()
    {
        h.Projects.Setup(p => p.CreateAsync(It.IsAny<ProjectEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(new DuplicateKeyException("path"));

        var error = await DomainAssert.ThrowsAsync(() => h.ProjectService().CreateAsync(Caller.Admin, new NewProject("Demo", "demo", "group")));

        Assert.Equal(["has already been taken"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["path"]);
    }

    [Fact]
    public async Task CreateProjectAsync_NotAdmin_Forbidden() =>
        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.ProjectService().CreateAsync(Caller.User(3, ["api"]), new NewProject("Demo", null))));
}
