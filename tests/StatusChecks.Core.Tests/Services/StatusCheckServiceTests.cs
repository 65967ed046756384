using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Services;

public sealed class StatusCheckServiceTests
{
    private readonly Harness h = new();

    [Theory]
    [InlineData("name", "Name has already been taken")]
    [InlineData("external_url", "External url has already been taken")]
    public async Task CreateAsync_StoreReportsDuplicate_RecordInvalidTaken(string field, string message)
    {
        // A concurrent writer took the value after validation: the store's index says which.
        h.Checks.Setup(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DuplicateKeyException(field));

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/")));

        Assert.Equal([message], Assert.IsType<DomainError.RecordInvalid>(error).Messages);
    }

    [Fact]
    public async Task CreateAsync_NameAndUrlTaken_BothFullMessagesInGitLabsOrder()
    {
        h.GivenChecks(h.GivenCheck(10, "ci") with { ExternalUrl = "https://ci.example/" });

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/")));

        Assert.Equal(["External url has already been taken", "Name has already been taken"], Assert.IsType<DomainError.RecordInvalid>(error).Messages);
        h.Checks.Verify(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// Issue 12 item 3: what can be known before publishing is checked before publishing. A taken name in a project
    /// with 20 open MRs used to publish 20 events (polled until dropped) and then answer the error.
    /// </summary>
    [Fact]
    public async Task CreateAndUpdate_NameTakenWithOpenMergeRequests_RefusedBeforeAnyEventIsPublished()
    {
        var open = Enumerable.Range(1, 20).Select(iid => h.GivenMergeRequest(iid)).ToList();
        h.MergeRequests.Setup(m => m.ListOpenAsync(h.Project.Id, It.IsAny<CancellationToken>())).ReturnsAsync(open);
        var taken = h.GivenCheck(10, "ci");
        var other = h.GivenCheck(11, "other", 99);
        h.GivenChecks(taken, other);
        var service = h.StatusChecks();

        var onCreate = await DomainAssert.ThrowsAsync(() => service.CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://new.example/")));
        var onUpdate = await DomainAssert.ThrowsAsync(() => service.UpdateAsync(Caller.Admin, ProjectRef.ById(7), 11, new StatusCheckChanges(Name: "ci", ProtectedBranchIds: [])));

        Assert.Equal(["Name has already been taken"], Assert.IsType<DomainError.RecordInvalid>(onCreate).Messages);
        Assert.Equal(["Name has already been taken"], Assert.IsType<DomainError.RecordInvalid>(onUpdate).Messages);
        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateAsync_SeveralInvalidFields_EveryMessage()
    {
        var error = await DomainAssert.ThrowsAsync(() =>
            h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck(" ", "ftp://ci.example/", new string('s', 256), [99])));

        Assert.Equal(
            ["External url is blocked: Only allowed schemes are http, https", "Name can't be blank", "Shared secret is too long (maximum is 255 characters)",
                "all protected branches must exist within the project"],
            Assert.IsType<DomainError.RecordInvalid>(error).Messages);
    }

    [Theory]
    [InlineData(AccessLevel.Developer)]
    [InlineData(AccessLevel.Reporter)]
    public async Task ManageChecks_BelowMaintainer_401AsGitLabAndNothingWritten(AccessLevel role)
    {
        h.CallerRole = role;
        h.GivenCheck(10);
        var member = Caller.User(3, ["api"]);
        var service = h.StatusChecks();

        Assert.Equal(new DomainError.Unauthorized(), await DomainAssert.ThrowsAsync(() => service.ListAsync(member, ProjectRef.ById(7), PageRequest.Default)));
        Assert.Equal(new DomainError.NotPermitted(), await DomainAssert.ThrowsAsync(() => service.CreateAsync(member, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/"))));
        Assert.Equal(new DomainError.NotPermitted(), await DomainAssert.ThrowsAsync(() => service.UpdateAsync(member, ProjectRef.ById(7), 10, new StatusCheckChanges(Name: "x"))));
        Assert.Equal(new DomainError.Unauthorized(), await DomainAssert.ThrowsAsync(() => service.DeleteAsync(member, ProjectRef.ById(7), 10, null)));
        h.Checks.Verify(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Checks.Verify(c => c.UpdateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Checks.Verify(c => c.DeleteAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ManageChecks_ReadApiTokenOnWrite_StaysForbidden()
    {
        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.User(3, ["read_api"]), ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/")));

        Assert.Equal(new DomainError.Forbidden(), error);
    }

    [Fact]
    public async Task DeleteAsync_ChangedAfterIfUnmodifiedSince_PreconditionFailedNothingDeleted()
    {
        var changed = h.GivenCheck(10) with { UpdatedAt = Harness.Now };
        h.Checks.Setup(c => c.GetAsync(7, 10, It.IsAny<CancellationToken>())).ReturnsAsync(changed);

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().DeleteAsync(Caller.Admin, ProjectRef.ById(7), 10, Harness.Now.AddSeconds(-1)));

        Assert.Equal(new DomainError.PreconditionFailed(), error);
        h.Checks.Verify(c => c.DeleteAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task DeleteAsync_UnchangedSinceIfUnmodifiedSince_Deleted()
    {
        var unchanged = h.GivenCheck(10) with { UpdatedAt = Harness.Now };
        h.Checks.Setup(c => c.GetAsync(7, 10, It.IsAny<CancellationToken>())).ReturnsAsync(unchanged);

        await h.StatusChecks().DeleteAsync(Caller.Admin, ProjectRef.ById(7), 10, Harness.Now);

        h.Checks.Verify(c => c.DeleteAsync(It.Is<StatusCheckEntity>(x => x.Id == 10), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(AccessLevel.Developer, "https://ci.example/hook")]
    [InlineData(AccessLevel.Reporter, "")]
    public async Task ListForMergeRequestAsync_ExternalUrl_WithoutQueryForDevelopersEmptyForReporters(AccessLevel role, string expected)
    {
        h.CallerRole = role;
        h.GivenChecks(h.GivenCheck(10) with { ExternalUrl = "https://ci.example/hook?token=123456789" });
        h.GivenMergeRequest();

        var page = await h.StatusChecks().ListForMergeRequestAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), 1, PageRequest.Default);

        Assert.Equal(expected, Assert.Single(page.Items).ExternalUrl);
    }

    [Fact]
    public async Task CreateAsync_ConcurrencyConflictOnce_RetriedAndSucceeds()
    {
        h.Checks.SetupSequence(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyException())
            .Returns(Task.CompletedTask);

        var check = await h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/"));

        Assert.Equal("ci", check.Name);
        h.Checks.Verify(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CreateAsync_BranchOfAnotherProject_RecordInvalidBaseMessage()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "main" });

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/", null, [1, 99])));

        Assert.Equal(["all protected branches must exist within the project"], Assert.IsType<DomainError.RecordInvalid>(error).Messages);
        h.Checks.Verify(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateAsync_SecretAndBranches_SecretProtectedHmacTrueAndAuditWithoutSecret()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "main" });
        StatusCheckEntity? stored = null;
        AuditEntity? audit = null;
        h.Checks.Setup(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .Callback<StatusCheckEntity, AuditEntity, CancellationToken>((c, a, _) => (stored, audit) = (c, a))
            .Returns(Task.CompletedTask);

        var check = await h.StatusChecks().CreateAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/", "s3cret", [1]));

        Assert.True(check.Hmac);
        Assert.Equal("main", Assert.Single(check.ProtectedBranches).Name);
        Assert.Equal("protected:6", stored!.ProtectedSecret);
        Assert.Equal(("external_status_check.create", "user:3", check.Id), (audit!.Action, audit.Actor, audit.SubjectId));
        Assert.DoesNotContain("s3cret", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_OpenMergeRequests_NotifiesOnlyThoseItAppliesTo()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "release/*" });
        var matching = h.GivenMergeRequest(1, target: "release/1.0");
        var other = h.GivenMergeRequest(2, target: "main");
        h.MergeRequests.Setup(m => m.ListOpenAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync([matching, other]);

        var check = await h.StatusChecks().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewStatusCheck("ci", "https://ci.example/", null, [1]));

        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.CheckApplied && ev.MergeRequestIid == 1 && ev.CheckIds.Single() == check.Id), It.IsAny<CancellationToken>()), Times.Once);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.MergeRequestIid == 2), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateAsync_BranchesWidened_ResetsAndNotifiesNewlyApplicableOnly()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "main" }, new ProtectedBranchEntity { Id = 2, ProjectId = 7, Name = "develop" });
        var current = h.GivenCheck(10, "ci", 1);
        h.Checks.Setup(c => c.UpdateAsync(current, It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((StatusCheckEntity _, StatusCheckEntity next, AuditEntity _, CancellationToken _) => next);
        var onMain = h.GivenMergeRequest(1, target: "main");
        var onDevelop = h.GivenMergeRequest(2, target: "develop", sha: Sha.B);
        h.MergeRequests.Setup(m => m.ListOpenAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync([onMain, onDevelop]);

        var check = await h.StatusChecks().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 10, new StatusCheckChanges(ProtectedBranchIds: [1, 2]));

        Assert.Equal(["main", "develop"], check.ProtectedBranches.Select(b => b.Name));
        h.Responses.Verify(r => r.ResetAsync(7, 2, It.Is<CheckResetEntity>(x => x.CheckId == 10 && x.Sha == Sha.B && x.At == Harness.Now), It.IsAny<CancellationToken>()), Times.Once);
        h.Responses.Verify(r => r.ResetAsync(7, 1, It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.MergeRequestIid == 2 && ev.Kind == MergeRequestEventKind.CheckApplied), It.IsAny<CancellationToken>()), Times.Once);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.MergeRequestIid == 1), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \t ")]
    public async Task UpdateAsync_BlankSecret_RemovesSecret(string secret)
    {
        var current = h.GivenCheck(10) with { ProtectedSecret = "protected:x" };
        h.Checks.Setup(c => c.GetAsync(7, 10, It.IsAny<CancellationToken>())).ReturnsAsync(current);
        h.Checks.Setup(c => c.UpdateAsync(current, It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((StatusCheckEntity _, StatusCheckEntity next, AuditEntity _, CancellationToken _) => next);

        var check = await h.StatusChecks().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 10, new StatusCheckChanges(SharedSecret: secret));

        Assert.False(check.Hmac);
        Assert.Equal("ci", check.Name);
    }

    [Fact]
    public async Task UpdateAsync_UnknownCheck_RecordNotFound() =>
        Assert.Equal(
            new DomainError.RecordNotFound(),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 404, new StatusCheckChanges(Name: "x"))));

    [Fact]
    public async Task RespondAsync_ShaNotHead_ConflictNamingHeadAndNothingRecorded()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest(sha: Sha.A);

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.B, 10, "passed")));

        Assert.Equal(new DomainError.Conflict($"SHA does not match HEAD of source branch: {Sha.A}"), error);
        h.Responses.Verify(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RespondAsync_CheckNotApplyingToTarget_RecordedAsGitLabDoes()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "release/*" });
        h.GivenCheck(10, "ci", 1);
        h.GivenMergeRequest(target: "main");

        var response = await h.StatusChecks().RespondAsync(Caller.Admin, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.A, 10, "failed"));

        Assert.Equal(("failed", 10L), (response.Status, response.ExternalStatusCheck.Id));
        h.Responses.Verify(r => r.AddAsync(It.Is<CheckResponseEntity>(x => x.CheckId == 10 && x.Status == "failed"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RespondAsync_UnknownCheck_RecordNotFoundNothingRecorded()
    {
        h.GivenMergeRequest();

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.A, 10)));

        Assert.Equal(new DomainError.RecordNotFound(), error);
        h.Responses.Verify(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RespondAsync_OrderAsGitLab_MergeRequestThenRoleThenCheckThenSha()
    {
        h.CallerRole = AccessLevel.Reporter;
        var reporter = Caller.User(3, ["api"]);

        // No MR: 404 before the role is looked at; with the MR, the reporter's role; then the unknown check before the stale sha.
        Assert.Equal(new DomainError.RecordNotFound(), await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(reporter, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.B, 10))));
        h.GivenMergeRequest(sha: Sha.A);
        Assert.Equal(new DomainError.Forbidden(), await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(reporter, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.B, 10))));
        h.CallerRole = AccessLevel.Developer;
        Assert.Equal(new DomainError.RecordNotFound(), await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(reporter, ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.B, 10))));
    }

    [Theory]
    [InlineData(null, null, "sha")]
    [InlineData(Sha.A, null, "external_status_check_id")]
    public async Task RespondAsync_MissingParameter_MissingParameter(string? sha, long? checkId, string parameter) =>
        Assert.Equal(
            new DomainError.MissingParameter(parameter),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, ProjectRef.ById(7), 1, new NewStatusCheckResponse(sha, checkId))));

    [Fact]
    public async Task RespondAsync_NoStatus_RecordedAsPassedWithActor()
    {
        var check = h.GivenCheck(10);
        h.GivenChecks(check);
        h.GivenMergeRequest();
        CheckResponseEntity? recorded = null;
        h.Responses.Setup(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()))
            .Callback<CheckResponseEntity, CancellationToken>((r, _) => recorded = r)
            .Returns(Task.CompletedTask);

        var response = await h.StatusChecks().RespondAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), 1, new NewStatusCheckResponse(Sha.A, 10));

        Assert.Equal(("passed", Sha.A, 10L), (response.Status, response.Sha, response.ExternalStatusCheck.Id));
        Assert.Equal(("passed", "user:3", Harness.Now), (recorded!.Status, recorded.Actor, recorded.CreatedAt));
        Assert.Equal(1, response.MergeRequest.Iid);
    }

    [Theory]
    [InlineData("passed")]
    [InlineData("pending")]
    public async Task RetryAsync_CheckNotFailed_Unprocessable(string status)
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        if (status == "passed")
        {
            h.GivenLatestResponse(1, 10, Sha.A, "passed", Harness.Now.AddSeconds(1));
        }

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RetryAsync(Caller.Admin, ProjectRef.ById(7), 1, 10));

        Assert.Equal(new DomainError.Unprocessable("External status check must be failed"), error);
        h.Responses.Verify(r => r.ResetAsync(It.IsAny<long>(), It.IsAny<long>(), It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RetryAsync_FailedResponse_ResetsForCurrentShaAndNotifiesThatCheck()
    {
        h.GivenChecks(h.GivenCheck(10), h.GivenCheck(11, "other"));
        h.GivenMergeRequest();
        h.GivenLatestResponse(1, 10, Sha.A, "failed", Harness.Now.AddSeconds(1));
        h.Time.Advance(TimeSpan.FromMinutes(1));

        await h.StatusChecks().RetryAsync(Caller.Admin, ProjectRef.ById(7), 1, 10);

        h.Responses.Verify(r => r.ResetAsync(7, 1, It.Is<CheckResetEntity>(x => x.CheckId == 10 && x.Sha == Sha.A && x.At == Harness.Now.AddMinutes(1)), It.IsAny<CancellationToken>()), Times.Once);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.RetryRequested && ev.CheckIds.Single() == 10L), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RetryAsync_PendingPastTimeout_CountsAsFailed()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        await h.StatusChecks().RetryAsync(Caller.Admin, ProjectRef.ById(7), 1, 10);

        h.Responses.Verify(r => r.ResetAsync(7, 1, It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListForMergeRequestAsync_MixedChecks_OnlyApplicableWithStatuses()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "release/*" }, new ProtectedBranchEntity { Id = 2, ProjectId = 7, Name = "main" });
        h.GivenChecks(h.GivenCheck(10, "all"), h.GivenCheck(11, "release", 1), h.GivenCheck(12, "main", 2));
        h.GivenMergeRequest(target: "release/2.0");
        h.GivenLatestResponse(1, 11, Sha.A, "failed", Harness.Now.AddSeconds(1));

        var page = await h.StatusChecks().ListForMergeRequestAsync(Caller.Admin, ProjectRef.ById(7), 1, PageRequest.Default);

        Assert.Equal([(10L, "pending"), (11L, "failed")], page.Items.Select(c => (c.Id, c.Status)));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task ListForMergeRequestAsync_UnknownMergeRequest_RecordNotFound() =>
        Assert.Equal(
            new DomainError.RecordNotFound(),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().ListForMergeRequestAsync(Caller.Admin, ProjectRef.ById(7), 9, PageRequest.Default)));
}
