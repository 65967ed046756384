using System.Globalization;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>Rows to response shapes (adds the web URLs).</summary>
internal sealed class Shapes(IOptions<StatusChecksOptions> options)
{
    public Project Project(ProjectEntity project) => new(
        project.Id,
        project.Name,
        project.Path,
        PathWithNamespace(project),
        project.CreatedAt,
        Web(PathWithNamespace(project)),
        project.OnlyAllowMergeIfAllStatusChecksPassed);

    public User User(UserEntity user) => new(user.Id, user.Username, user.Name, user.Email, "active", user.CreatedAt, Web(user.Username), IsAdmin: false);

    public UserProfile Profile(UserEntity user) => new(user.Id, user.Username, user.Name, "active", Web(user.Username), user.CreatedAt);

    /// <summary>The user as they see themselves; <paramref name="callerIsAdmin"/> adds <c>is_admin</c>, as GitLab does for administrators.</summary>
    public UserAccount Account(UserEntity user, bool callerIsAdmin) => new(
        user.Id,
        user.Username,
        user.Name,
        "active",
        Web(user.Username),
        user.CreatedAt,
        user.IsAdmin ? null : user.Email,
        CanCreateProject: user.IsAdmin, // POST /projects is the administrator's
        IsAdmin: callerIsAdmin ? user.IsAdmin : null);

    public Member Member(MemberEntity member) =>
        new(member.UserId, member.Username, member.Name, "active", member.AccessLevel, member.CreatedAt, ExpiresAt(member.ExpiresAt), Web(member.Username));

    public static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? ExpiresAt(string? stored) =>
        stored is null ? null : DateOnly.ParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public MergeRequest MergeRequest(ProjectEntity project, MergeRequestEntity mergeRequest, string detailedMergeStatus) => new(
        mergeRequest.Id,
        mergeRequest.Iid,
        mergeRequest.ProjectId,
        mergeRequest.Title,
        mergeRequest.Description,
        mergeRequest.State,
        mergeRequest.SourceBranch,
        mergeRequest.TargetBranch,
        mergeRequest.Sha,
        mergeRequest.CreatedAt,
        mergeRequest.UpdatedAt,
        mergeRequest.MergedAt,
        mergeRequest.ClosedAt,
        detailedMergeStatus,
        Web($"{PathWithNamespace(project)}/-/merge_requests/{mergeRequest.Iid.ToString(CultureInfo.InvariantCulture)}"));

    public static ProtectedBranch Branch(ProtectedBranchEntity branch) =>
        new(branch.Id, branch.ProjectId, branch.Name, branch.CreatedAt, branch.UpdatedAt, CodeOwnerApprovalRequired: false);

    public static ExternalStatusCheck Check(ResolvedCheck check) => new(
        check.Entity.Id,
        check.Entity.Name,
        check.Entity.ProjectId,
        check.Entity.ExternalUrl,
        check.Entity.ProtectedSecret is not null,
        check.Branches.Select(Branch).ToList());

    public static string PathWithNamespace(ProjectEntity project) => project.Namespace + "/" + project.Path;

    private string Web(string relative) => options.Value.WebBaseUrl.AbsoluteUri.TrimEnd('/') + "/" + relative;
}
