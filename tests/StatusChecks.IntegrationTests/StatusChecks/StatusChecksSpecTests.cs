using System.Net;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.StatusChecks;

/// <summary>
/// GitLab's request spec for this API, <c>ee/spec/requests/api/status_checks_spec.rb</c> (gitlab-org/gitlab, the
/// version with <c>shared_secret</c> in the create and update params), case by case against the real service: one
/// test per <c>it</c>, each citing the spec's describe / context / it it comes from. A table-driven <c>it</c>
/// (<c>where ... with_them</c>) is one theory with one row per applicable table row.
///
/// The spec has 33 <c>it</c>s, 6 of them tables (28 rows): 55 cases. 32 <c>it</c>s are implemented here (46 cases);
/// 9 cases do not apply (below); none is a deviation.
///
/// Not applicable (GitLab-only concepts):
/// - Licensing: the <c>licensed: false</c> rows of the four "when feature is disabled, unlicensed or user has
///   permission" tables (8 rows) and "POST .../retry" / "when unlicensed" / "returns unauthorized status" (1 it):
///   the service has no licensed features; every project has external status checks.
/// - "calls async execute with correct data" checks a Ruby method call with <c>merge_request.to_hook_data</c>; here
///   the same behaviour (retry sends the check a new notification) is observed in the delivery log instead.
/// - "updates last status check response" also expects a <c>retried_at</c> column; there is no such field, the
///   observable part (the check is pending again) is tested.
/// - <c>another_project</c> is public in the spec; the service has no public projects, so a member of another
///   project is a stranger to this one (404 either way, as the spec expects).
///
/// Deliberate deviations (README), which no <c>it</c> of this spec contradicts:
/// - <c>status</c> is optional on POST status_check_responses and defaults to <c>passed</c> (GitLab requires it),
///   so GitLab 14.1 clients, which send none, keep working.
/// - Protected branches may be wildcard patterns (<c>release/*</c>), matched as GitLab matches protected branches;
///   GitLab's <c>applicable_to_branch</c> compares names exactly.
/// - The POST status_check_responses body adds <c>status</c>, <c>sha</c> and <c>created_at</c> (extension fields).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusChecksSpecTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    // ---- describe 'GET :id/merge_requests/:merge_request_iid/status_checks' ----

    /// <summary>The spec's first two checks: one whose URL carries a token in its query, one plain.</summary>
    private async Task<(StatusCheckProject Project, long First, long Second, string SecondUrl, long Iid, string Sha)> TwoChecksAndAnMrAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        // The spec's https://mock.api.test/status?token=123456789, on a local port so the notification stays local.
        var first = await project.CheckIdAsync(url: "http://127.0.0.1:9/status?token=123456789");
        var secondUrl = StatusCheckProject.NewUrl();
        var second = await project.CheckIdAsync(url: secondUrl);
        var (iid, sha) = await project.MergeRequestAsync();
        return (project, first, second, secondUrl, iid, sha);
    }

    private static async Task<JsonArray> MergeRequestChecksAsync(HttpClient client, StatusCheckProject project, long iid) =>
        (await GitLabApi.SendAsync(client, HttpMethod.Get, project.MergeRequestPath(iid) + "/status_checks", null, HttpStatusCode.OK))["items"]!.AsArray();

    // context 'external url response' / context 'when access level is at least `reporter`' / it 'is empty'
    [Fact]
    public async Task MrStatusChecks_ExternalUrlResponse_Reporter_IsEmpty()
    {
        var (project, _, _, _, iid, _) = await TwoChecksAndAnMrAsync();
        var reporter = await api.MemberAsync(project.Id, AccessLevel.Reporter);

        var list = await MergeRequestChecksAsync(reporter, project, iid);

        Assert.Equal("", list[0]!["external_url"]!.GetValue<string>());
        Assert.Equal("", list[1]!["external_url"]!.GetValue<string>());
    }

    // context 'external url response' / context 'when access level is at least `developer`' / it 'has excluded the sensitive token url param'
    [Fact]
    public async Task MrStatusChecks_ExternalUrlResponse_Developer_HasExcludedTheSensitiveTokenUrlParam()
    {
        var (project, _, _, secondUrl, iid, _) = await TwoChecksAndAnMrAsync();
        var developer = await api.MemberAsync(project.Id, AccessLevel.Developer);

        var list = await MergeRequestChecksAsync(developer, project, iid);

        Assert.Equal("http://127.0.0.1:9/status", list[0]!["external_url"]!.GetValue<string>());
        Assert.Equal(secondUrl, list[1]!["external_url"]!.GetValue<string>());
    }

    /// <summary>
    /// context 'when current_user has access' (maintainer) / context 'when merge request has received status check
    /// responses': a check scoped to another branch, one scoped to the MR's target, and a response for the first check.
    /// </summary>
    private async Task<(ApiResponse Response, JsonArray List)> RespondedMergeRequestListAsync()
    {
        var (project, first, _, _, iid, sha) = await TwoChecksAndAnMrAsync();
        await project.CheckIdAsync([await project.ProtectedBranchAsync("different-branch")]); // non_applicable_check
        await project.CheckIdAsync([await project.ProtectedBranchAsync("main")]); // branch_specific_check (the MR targets main)
        await project.RespondAsync(iid, sha, first, "passed"); // status_check_response (the factory's status is passed)
        var maintainer = await api.MemberAsync(project.Id, AccessLevel.Maintainer);

        var (_, body, response) = await GitLabApi.CallAsync(maintainer, HttpMethod.Get, project.MergeRequestPath(iid) + "/status_checks");
        return (response, body!.AsArray());
    }

    // context 'when current_user has access' / context 'when merge request has received status check responses' / it 'returns a 200'
    [Fact]
    public async Task MrStatusChecks_ReceivedResponses_Returns200()
    {
        var (response, _) = await RespondedMergeRequestListAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    // context 'when current_user has access' / context 'when merge request has received status check responses' / it 'returns the total number of status checks for the MRs project'
    [Fact]
    public async Task MrStatusChecks_ReceivedResponses_ReturnsTheTotalNumberOfStatusChecksForTheMrsProject()
    {
        var (_, list) = await RespondedMergeRequestListAsync();

        Assert.Equal(3, list.Count);
    }

    // context 'when current_user has access' / context 'when merge request has received status check responses' / it 'has the correct status values'
    [Fact]
    public async Task MrStatusChecks_ReceivedResponses_HasTheCorrectStatusValues()
    {
        var (_, list) = await RespondedMergeRequestListAsync();

        Assert.Equal(["passed", "pending", "pending"], list.Select(item => item!["status"]!.GetValue<string>()));
    }

    // ---- describe 'POST :id/:merge_requests/:merge_request_iid/status_check_responses' ----

    /// <summary>A user with <paramref name="level"/> on the project, or on another project only (<c>applies_to_target_project</c> false).</summary>
    private async Task<HttpClient> UserAsync(StatusCheckProject project, int level, bool appliesToTargetProject)
    {
        if (appliesToTargetProject)
        {
            return await api.MemberAsync(project.Id, level);
        }

        var another = await api.CreateProjectAsync();
        return await api.MemberAsync(another["id"]!.GetValue<long>(), level);
    }

    // context 'permissions' / it 'returns the correct status' (where user_permissions, applies_to_target_project, expected_status)
    [Theory]
    [InlineData(AccessLevel.Maintainer, true, HttpStatusCode.Created)]
    [InlineData(AccessLevel.Maintainer, false, HttpStatusCode.NotFound)]
    [InlineData(AccessLevel.Developer, true, HttpStatusCode.Created)]
    [InlineData(AccessLevel.Developer, false, HttpStatusCode.NotFound)]
    [InlineData(AccessLevel.Guest, true, HttpStatusCode.Forbidden)]
    [InlineData(AccessLevel.Guest, false, HttpStatusCode.NotFound)]
    public async Task Respond_Permissions_ReturnsTheCorrectStatus(int level, bool appliesToTargetProject, HttpStatusCode expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        var user = await UserAsync(project, level, appliesToTargetProject);

        var (status, body, _) = await GitLabApi.CallAsync(user, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { external_status_check_id = checkId, sha, status = "passed" });

        Assert.True(expected == status, $"expected {(int)expected}, got {(int)status} {body?.ToJsonString()}");
    }

    // context 'when user has access' / context 'when external status check ID does not belong to the requested project' / it 'returns a not found status'
    [Fact]
    public async Task Respond_CheckOfAnotherProject_ReturnsANotFoundStatus()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var other = await StatusCheckProject.CreateAsync(api);
        var foreign = await other.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        var maintainer = await api.MemberAsync(project.Id, AccessLevel.Maintainer);

        var (status, body, _) = await GitLabApi.CallAsync(maintainer, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { external_status_check_id = foreign, sha, status = "passed" });

        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Not found"}"""), (status, body!.ToJsonString()));
    }

    private async Task<(StatusCheckProject Project, long CheckId, long Iid, HttpStatusCode Status)> RespondWithNotARealShaAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, _) = await project.MergeRequestAsync();
        var maintainer = await api.MemberAsync(project.Id, AccessLevel.Maintainer);

        var (status, _, _) = await GitLabApi.CallAsync(maintainer, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { external_status_check_id = checkId, sha = "notarealsha", status = "passed" });
        return (project, checkId, iid, status);
    }

    // context 'when user has access' / context 'when sha is not the source branch HEAD' / it 'does not create a new approval'
    [Fact]
    public async Task Respond_ShaIsNotTheSourceBranchHead_DoesNotCreateANewApproval()
    {
        var (project, checkId, iid, _) = await RespondWithNotARealShaAsync();

        Assert.Equal("pending", (await project.StatusesAsync(iid))[checkId]);
    }

    // context 'when user has access' / context 'when sha is not the source branch HEAD' / it 'returns a conflict error'
    [Fact]
    public async Task Respond_ShaIsNotTheSourceBranchHead_ReturnsAConflictError()
    {
        var (_, _, _, status) = await RespondWithNotARealShaAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    // context 'when user has access' / context 'when user is not authenticated' / it 'returns an unauthorized status'
    [Fact]
    public async Task Respond_UserIsNotAuthenticated_ReturnsAnUnauthorizedStatus()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();

        var (status, body, _) = await GitLabApi.CallAsync(api.Anonymous, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses",
            new { external_status_check_id = checkId, sha, status = "passed" });

        Assert.Equal((HttpStatusCode.Unauthorized, """{"message":"401 Unauthorized"}"""), (status, body!.ToJsonString()));
    }

    // ---- describe 'DELETE projects/:id/external_status_checks/:check_id' ----

    // it 'deletes the specified external status check'
    [Fact]
    public async Task Delete_DeletesTheSpecifiedExternalStatusCheck()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        await project.CheckIdAsync();
        var owner = await api.MemberAsync(project.Id, AccessLevel.Owner);

        await GitLabApi.SendAsync(owner, HttpMethod.Delete, $"{project.ChecksPath}/{checkId}", null, HttpStatusCode.NoContent);

        Assert.Single(await ChecksAsync(project));
    }

    // context 'when feature is disabled, unlicensed or user has permission' / it 'returns the correct status code' (rows with licensed: true)
    [Theory]
    [InlineData(false, HttpStatusCode.NotFound)]
    [InlineData(true, HttpStatusCode.NoContent)] // :success
    public async Task Delete_Permission_ReturnsTheCorrectStatusCode(bool projectOwner, HttpStatusCode expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();

        var (status, _, _) = await GitLabApi.CallAsync(await OwnerOrStrangerAsync(project, projectOwner), HttpMethod.Delete, $"{project.ChecksPath}/{checkId}");

        Assert.Equal(expected, status);
        Assert.Equal(projectOwner ? 0 : 1, (await ChecksAsync(project)).Count);
    }

    // ---- describe 'POST projects/:id/external_status_checks' ----

    // context 'successfully creates an external status check' / it 'creates a new external status check'
    [Fact]
    public async Task Create_CreatesANewExternalStatusCheck()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var owner = await api.MemberAsync(project.Id, AccessLevel.Owner);

        await GitLabApi.SendAsync(owner, HttpMethod.Post, project.ChecksPath, FactoryAttributes(), HttpStatusCode.Created);

        Assert.Single(await ChecksAsync(project));
    }

    /// <summary>
    /// context 'with protected branches': the spec's params, form-encoded as a Rails request spec sends them, with
    /// <c>protected_branch_ids</c> a single id (not an array).
    /// </summary>
    private async Task<(StatusCheckProject Project, long BranchId, ApiResponse Response)> CreateWithProtectedBranchesAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var branchId = await project.ProtectedBranchAsync("main");
        var owner = await api.MemberAsync(project.Id, AccessLevel.Owner);

        var response = await GitLabApi.CallAsync(owner, HttpMethod.Post, project.ChecksPath,
            new { name = "New rule", external_url = "https://gitlab.com/test/example.json", protected_branch_ids = branchId, shared_secret = "shared_secret" },
            ParameterEncoding.Form);
        return (project, branchId, response);
    }

    // context 'successfully creates an external status check' / context 'with protected branches' / it 'returns expected status code'
    [Fact]
    public async Task Create_WithProtectedBranches_ReturnsExpectedStatusCode()
    {
        var (_, _, response) = await CreateWithProtectedBranchesAsync();

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    // context 'successfully creates an external status check' / context 'with protected branches' / it 'creates protected branch records'
    [Fact]
    public async Task Create_WithProtectedBranches_CreatesProtectedBranchRecords()
    {
        var (project, branchId, _) = await CreateWithProtectedBranchesAsync();

        await AssertOnlyCheckHasBranchAsync(project, branchId);
    }

    // context 'successfully creates an external status check' / context 'with protected branches' / it 'responds with expected JSON'
    [Fact]
    public async Task Create_WithProtectedBranches_RespondsWithExpectedJson()
    {
        var (_, _, response) = await CreateWithProtectedBranchesAsync();

        AssertNewRuleWithBranch(response.Body!);
    }

    // context 'when feature is disabled, unlicensed or user has permission' / it 'returns the correct status code' (rows with licensed: true)
    [Theory]
    [InlineData(false, HttpStatusCode.NotFound)]
    [InlineData(true, HttpStatusCode.Created)]
    public async Task Create_Permission_ReturnsTheCorrectStatusCode(bool projectOwner, HttpStatusCode expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var (status, _, _) = await GitLabApi.CallAsync(await OwnerOrStrangerAsync(project, projectOwner), HttpMethod.Post, project.ChecksPath, FactoryAttributes());

        Assert.Equal(expected, status);
        Assert.Equal(projectOwner ? 1 : 0, (await ChecksAsync(project)).Count);
    }

    // ---- describe 'GET projects/:id/external_status_checks' ----

    /// <summary>The describe's data: the two checks of the project (factory names "rule 1", "rule 2"), three protected branches, an orphaned check elsewhere.</summary>
    private async Task<(StatusCheckProject Project, long First)> ProjectWithTwoRulesAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckIdAsync(name: "rule 1");
        await project.CheckIdAsync(name: "rule 2");
        foreach (var name in new[] { "branch-1", "branch-2", "branch-3" })
        {
            await project.ProtectedBranchAsync(name);
        }

        var elsewhere = await StatusCheckProject.CreateAsync(api);
        await elsewhere.CheckIdAsync(name: "rule 3"); // orphaned, to show the list is scoped to the project
        return (project, first);
    }

    // it 'responds with expected JSON' (quarantined in GitLab: issue 451081)
    [Fact]
    public async Task List_RespondsWithExpectedJson()
    {
        var (project, _) = await ProjectWithTwoRulesAsync();
        var owner = await api.MemberAsync(project.Id, AccessLevel.Owner);

        var list = (await GitLabApi.SendAsync(owner, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray();

        Assert.Equal(2, list.Count);
        Assert.Equal(["rule 1", "rule 2"], list.Select(item => item!["name"]!.GetValue<string>()).Order());
    }

    // it 'paginates correctly'
    [Fact]
    public async Task List_PaginatesCorrectly()
    {
        var (project, first) = await ProjectWithTwoRulesAsync();
        var owner = await api.MemberAsync(project.Id, AccessLevel.Owner);

        var response = await GitLabApi.CallRawAsync(owner, HttpMethod.Get, project.ChecksPath + "?per_page=1");

        RouteKit.AssertPage(response, page: 1, perPage: 1, total: 2);
        Assert.Equal([first], response.Body!.AsArray().Select(item => item!["id"]!.GetValue<long>()));
    }

    // context 'when feature is disabled, unlicensed or user has permission' / it 'returns the correct status code' (rows with licensed: true)
    [Theory]
    [InlineData(false, HttpStatusCode.NotFound)]
    [InlineData(true, HttpStatusCode.OK)] // :success
    public async Task List_Permission_ReturnsTheCorrectStatusCode(bool projectOwner, HttpStatusCode expected)
    {
        var (project, _) = await ProjectWithTwoRulesAsync();

        var (status, _, _) = await GitLabApi.CallAsync(await OwnerOrStrangerAsync(project, projectOwner), HttpMethod.Get, project.ChecksPath);

        Assert.Equal(expected, status);
    }

    // ---- describe 'POST projects/:id/merge_requests/:merge_request_iid/status_checks/:external_status_check_id/retry' ----

    private static string RetryPath(StatusCheckProject project, long iid, long checkId) => $"{project.MergeRequestPath(iid)}/status_checks/{checkId}/retry";

    // context 'when licensed' / context 'permissions' / it 'returns the correct status' (where user_permissions, applies_to_target_project, expected_status)
    [Theory]
    [InlineData(AccessLevel.Maintainer, true, HttpStatusCode.Accepted)]
    [InlineData(AccessLevel.Maintainer, false, HttpStatusCode.NotFound)]
    [InlineData(AccessLevel.Developer, true, HttpStatusCode.Accepted)]
    [InlineData(AccessLevel.Developer, false, HttpStatusCode.NotFound)]
    [InlineData(AccessLevel.Guest, true, HttpStatusCode.Forbidden)]
    [InlineData(AccessLevel.Guest, false, HttpStatusCode.NotFound)]
    public async Task Retry_Permissions_ReturnsTheCorrectStatus(int level, bool appliesToTargetProject, HttpStatusCode expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        var user = await UserAsync(project, level, appliesToTargetProject);
        await project.RespondAsync(iid, sha, checkId, "failed");

        var (status, body, _) = await GitLabApi.CallAsync(user, HttpMethod.Post, RetryPath(project, iid, checkId));

        Assert.True(expected == status, $"expected {(int)expected}, got {(int)status} {body?.ToJsonString()}");
    }

    /// <summary>context 'when current_user has access' (maintainer): the check has a response with the given status at the MR's HEAD.</summary>
    private async Task<(StatusCheckProject Project, long CheckId, long Iid, HttpClient Maintainer)> RespondedCheckAsync(string status)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        await project.RespondAsync(iid, sha, checkId, status);
        return (project, checkId, iid, await api.MemberAsync(project.Id, AccessLevel.Maintainer));
    }

    // context 'when licensed' / context 'when current_user has access' / context 'when status check is failed' / it 'calls async execute with correct data'
    [Fact]
    public async Task Retry_StatusCheckIsFailed_CallsAsyncExecuteWithCorrectData()
    {
        // GitLab's async_execute queues the check's notification; here, a new delivery for a new event in its log.
        var (project, checkId, iid, maintainer) = await RespondedCheckAsync("failed");
        var before = await project.WaitForDeliveriesAsync(iid, checkId, log => log.Count > 0); // the MR's open event
        var events = before.Select(delivery => delivery!["event_id"]!.GetValue<string>()).ToHashSet();

        await GitLabApi.SendAsync(maintainer, HttpMethod.Post, RetryPath(project, iid, checkId), null, HttpStatusCode.Accepted);

        await project.WaitForDeliveriesAsync(iid, checkId, log => log.Any(delivery => !events.Contains(delivery!["event_id"]!.GetValue<string>())));
    }

    // context 'when licensed' / context 'when current_user has access' / context 'when status check is failed' / it 'returns accepted response'
    [Fact]
    public async Task Retry_StatusCheckIsFailed_ReturnsAcceptedResponse()
    {
        var (project, checkId, iid, maintainer) = await RespondedCheckAsync("failed");

        var (status, body, _) = await GitLabApi.CallAsync(maintainer, HttpMethod.Post, RetryPath(project, iid, checkId));

        Assert.Equal((HttpStatusCode.Accepted, """{"message":"202 Accepted"}"""), (status, body!.ToJsonString()));
    }

    // context 'when licensed' / context 'when current_user has access' / context 'when status check is failed' / it 'updates last status check response'
    [Fact]
    public async Task Retry_StatusCheckIsFailed_UpdatesLastStatusCheckResponse()
    {
        var (project, checkId, iid, maintainer) = await RespondedCheckAsync("failed");

        await GitLabApi.SendAsync(maintainer, HttpMethod.Post, RetryPath(project, iid, checkId), null, HttpStatusCode.Accepted);

        Assert.Equal("pending", (await project.StatusesAsync(iid))[checkId]); // retried_at: no such field here
    }

    // context 'when licensed' / context 'when current_user has access' / context 'when status check is passed' / it 'returns unprocessable_entity response'
    [Fact]
    public async Task Retry_StatusCheckIsPassed_ReturnsUnprocessableEntityResponse()
    {
        var (project, checkId, iid, maintainer) = await RespondedCheckAsync("passed");

        var response = await GitLabApi.CallRawAsync(maintainer, HttpMethod.Post, RetryPath(project, iid, checkId));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":"External status check must be failed"}"""), (response.Status, response.Text));
    }

    // ---- describe 'PUT projects/:id/external_status_checks/:check_id' ----

    private async Task<(StatusCheckProject Project, long CheckId, HttpClient Owner)> CheckToUpdateAsync()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        return (project, checkId, await api.MemberAsync(project.Id, AccessLevel.Owner));
    }

    // context 'successfully updates an external status check' / it 'updates an external status check'
    [Fact]
    public async Task Update_UpdatesAnExternalStatusCheck()
    {
        var (project, checkId, owner) = await CheckToUpdateAsync();

        await GitLabApi.CallAsync(owner, HttpMethod.Put, $"{project.ChecksPath}/{checkId}", new { external_url = "http://newvalue.com", name = "new name" }, ParameterEncoding.Form);

        Assert.Equal("http://newvalue.com", Assert.Single(await ChecksAsync(project))!["external_url"]!.GetValue<string>());
    }

    // context 'successfully updates an external status check' / it 'responds with correct http status'
    [Fact]
    public async Task Update_RespondsWithCorrectHttpStatus()
    {
        var (project, checkId, owner) = await CheckToUpdateAsync();

        var response = await GitLabApi.CallAsync(owner, HttpMethod.Put, $"{project.ChecksPath}/{checkId}", new { external_url = "http://newvalue.com", name = "new name" }, ParameterEncoding.Form);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    // context 'successfully updates an external status check' / context 'when referencing a protected branch outside of the project' / it 'is invalid'
    [Fact]
    public async Task Update_ProtectedBranchOutsideOfTheProject_IsInvalid()
    {
        var (project, checkId, owner) = await CheckToUpdateAsync();
        var elsewhere = await StatusCheckProject.CreateAsync(api);
        var foreignBranch = await elsewhere.ProtectedBranchAsync("main");

        var response = await GitLabApi.CallAsync(owner, HttpMethod.Put, $"{project.ChecksPath}/{checkId}",
            new { name = "New rule", external_url = "https://gitlab.com/test/example.json", protected_branch_ids = foreignBranch }, ParameterEncoding.Form);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["all protected branches must exist within the project"]}"""), (response.Status, response.Text));
    }

    /// <summary>The spec's "creates protected branch records": the project's one check is scoped to exactly that branch.</summary>
    private static async Task AssertOnlyCheckHasBranchAsync(StatusCheckProject project, long branchId)
    {
        var stored = Assert.Single(await ChecksAsync(project))!;
        Assert.Equal([branchId], stored["protected_branches"]!.AsArray().Select(branch => branch!["id"]!.GetValue<long>()));
    }

    /// <summary>The spec's "responds with expected JSON" for the "New rule" check with a secret and one branch.</summary>
    private static void AssertNewRuleWithBranch(JsonNode body)
    {
        Assert.NotNull(body["id"]);
        Assert.Equal("New rule", body["name"]!.GetValue<string>());
        Assert.True(body["hmac"]!.GetValue<bool>());
        Assert.Equal("https://gitlab.com/test/example.json", body["external_url"]!.GetValue<string>());
        Assert.Single(body["protected_branches"]!.AsArray());
    }

    private async Task<(StatusCheckProject Project, long BranchId, ApiResponse Response)> UpdateWithProtectedBranchesAsync()
    {
        var (project, checkId, owner) = await CheckToUpdateAsync();
        var branchId = await project.ProtectedBranchAsync("main");

        var response = await GitLabApi.CallAsync(owner, HttpMethod.Put, $"{project.ChecksPath}/{checkId}",
            new { name = "New rule", external_url = "https://gitlab.com/test/example.json", protected_branch_ids = branchId, shared_secret = "shared_secret" },
            ParameterEncoding.Form);
        return (project, branchId, response);
    }

    // context 'successfully updates an external status check' / context 'with protected branches' / it 'returns expected status code'
    [Fact]
    public async Task Update_WithProtectedBranches_ReturnsExpectedStatusCode()
    {
        var (_, _, response) = await UpdateWithProtectedBranchesAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    // context 'successfully updates an external status check' / context 'with protected branches' / it 'creates protected branch records'
    [Fact]
    public async Task Update_WithProtectedBranches_CreatesProtectedBranchRecords()
    {
        var (project, branchId, _) = await UpdateWithProtectedBranchesAsync();

        await AssertOnlyCheckHasBranchAsync(project, branchId);
    }

    // context 'successfully updates an external status check' / context 'with protected branches' / it 'responds with expected JSON'
    [Fact]
    public async Task Update_WithProtectedBranches_RespondsWithExpectedJson()
    {
        var (_, _, response) = await UpdateWithProtectedBranchesAsync();

        AssertNewRuleWithBranch(response.Body!);
    }

    // context 'when feature is disabled, unlicensed or user has permission' / it 'returns the correct status code' (rows with licensed: true)
    [Theory]
    [InlineData(false, HttpStatusCode.NotFound)]
    [InlineData(true, HttpStatusCode.OK)] // :success
    public async Task Update_Permission_ReturnsTheCorrectStatusCode(bool projectOwner, HttpStatusCode expected)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();

        var (status, _, _) = await GitLabApi.CallAsync(await OwnerOrStrangerAsync(project, projectOwner), HttpMethod.Put, $"{project.ChecksPath}/{checkId}", FactoryAttributes());

        Assert.Equal(expected, status);
    }

    /// <summary><c>attributes_for(:external_status_check)</c>: a name and an external URL (here one nothing listens on).</summary>
    private static object FactoryAttributes() => new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl() };

    /// <summary><c>project.first_owner</c>, or <c>build(:user)</c>: a user with no role on the project.</summary>
    private async Task<HttpClient> OwnerOrStrangerAsync(StatusCheckProject project, bool projectOwner) =>
        projectOwner ? await api.MemberAsync(project.Id, AccessLevel.Owner) : api.As((await api.CreateUserAsync()).Token);

    private static async Task<JsonArray> ChecksAsync(StatusCheckProject project) =>
        (await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath + "?per_page=100", null, HttpStatusCode.OK))["items"]!.AsArray();
}
