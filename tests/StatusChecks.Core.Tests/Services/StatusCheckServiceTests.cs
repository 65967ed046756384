using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Services;

public sealed class StatusCheckServiceTests
{
    private readonly Harness h = new();

    [Theory]
    [InlineData("name")]
    [InlineData("external_url")]
    public async Task CreateAsync_StoreReportsDuplicate_ValidationFailedTaken(string field)
    {
        h.Checks.Setup(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DuplicateKeyException(field));

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.Admin, "7", new NewStatusCheck("ci", "https://ci.example/")));

        Assert.Equal(["has already been taken"], Assert.IsType<DomainError.ValidationFailed>(error).Errors[field]);
    }

    [Fact]
    public async Task CreateAsync_ConcurrencyConflictOnce_RetriedAndSucceeds()
    {
        h.Checks.SetupSequence(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyException())
            .Returns(Task.CompletedTask);

        var check = await h.StatusChecks().CreateAsync(Caller.Admin, "7", new NewStatusCheck("ci", "https://ci.example/"));

        Assert.Equal("ci", check.Name);
        h.Checks.Verify(c => c.CreateAsync(It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CreateAsync_BranchOfAnotherProject_ValidationFailedNamingProtectedBranchIds()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "main" });

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().CreateAsync(Caller.Admin, "7", new NewStatusCheck("ci", "https://ci.example/", null, [1, 99])));

        Assert.Contains("protected_branch_ids", Assert.IsType<DomainError.ValidationFailed>(error).Errors);
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

        var check = await h.StatusChecks().CreateAsync(Caller.User(3, ["api"]), "7", new NewStatusCheck("ci", "https://ci.example/", "s3cret", [1]));

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

        var check = await h.StatusChecks().CreateAsync(Caller.Admin, "7", new NewStatusCheck("ci", "https://ci.example/", null, [1]));

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

        var check = await h.StatusChecks().UpdateAsync(Caller.Admin, "7", 10, new StatusCheckChanges(ProtectedBranchIds: [1, 2]));

        Assert.Equal(["main", "develop"], check.ProtectedBranches.Select(b => b.Name));
        h.Responses.Verify(r => r.ResetAsync(7, 2, It.Is<CheckResetEntity>(x => x.CheckId == 10 && x.Sha == Sha.B && x.At == Harness.Now), It.IsAny<CancellationToken>()), Times.Once);
        h.Responses.Verify(r => r.ResetAsync(7, 1, It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.MergeRequestIid == 2 && ev.Kind == MergeRequestEventKind.CheckApplied), It.IsAny<CancellationToken>()), Times.Once);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.MergeRequestIid == 1), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateAsync_EmptySecret_RemovesSecret()
    {
        var current = h.GivenCheck(10) with { ProtectedSecret = "protected:x" };
        h.Checks.Setup(c => c.GetAsync(7, 10, It.IsAny<CancellationToken>())).ReturnsAsync(current);
        h.Checks.Setup(c => c.UpdateAsync(current, It.IsAny<StatusCheckEntity>(), It.IsAny<AuditEntity>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((StatusCheckEntity _, StatusCheckEntity next, AuditEntity _, CancellationToken _) => next);

        var check = await h.StatusChecks().UpdateAsync(Caller.Admin, "7", 10, new StatusCheckChanges(SharedSecret: ""));

        Assert.False(check.Hmac);
        Assert.Equal("ci", check.Name);
    }

    [Fact]
    public async Task UpdateAsync_UnknownCheck_NotFound() =>
        Assert.Equal(
            new DomainError.NotFound("External Status Check"),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().UpdateAsync(Caller.Admin, "7", 404, new StatusCheckChanges(Name: "x"))));

    [Fact]
    public async Task RespondAsync_ShaNotHead_ConflictAndNothingRecorded()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest(sha: Sha.A);

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, "7", 1, new NewStatusCheckResponse(Sha.B, 10, "passed")));

        Assert.Equal(new DomainError.Conflict($"SHA does not match HEAD of source branch: {Sha.B}"), error);
        h.Responses.Verify(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RespondAsync_CheckNotApplyingToTarget_NotFound()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "release/*" });
        h.GivenCheck(10, "ci", 1);
        h.GivenMergeRequest(target: "main");

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, "7", 1, new NewStatusCheckResponse(Sha.A, 10)));

        Assert.Equal(new DomainError.NotFound("External Status Check"), error);
        h.Responses.Verify(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null, null, "sha")]
    [InlineData(Sha.A, null, "external_status_check_id")]
    public async Task RespondAsync_MissingParameter_MissingParameter(string? sha, long? checkId, string parameter) =>
        Assert.Equal(
            new DomainError.MissingParameter(parameter),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().RespondAsync(Caller.Admin, "7", 1, new NewStatusCheckResponse(sha, checkId))));

    [Fact]
    public async Task RespondAsync_LegacyApproved_RecordedAsPassedWithActor()
    {
        var check = h.GivenCheck(10);
        h.GivenChecks(check);
        h.GivenMergeRequest();
        CheckResponseEntity? recorded = null;
        h.Responses.Setup(r => r.AddAsync(It.IsAny<CheckResponseEntity>(), It.IsAny<CancellationToken>()))
            .Callback<CheckResponseEntity, CancellationToken>((r, _) => recorded = r)
            .Returns(Task.CompletedTask);

        var response = await h.StatusChecks().RespondAsync(Caller.User(3, ["api"]), "7", 1, new NewStatusCheckResponse(Sha.A, 10, "approved"));

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

        var error = await DomainAssert.ThrowsAsync(() => h.StatusChecks().RetryAsync(Caller.Admin, "7", 1, 10));

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

        await h.StatusChecks().RetryAsync(Caller.Admin, "7", 1, 10);

        h.Responses.Verify(r => r.ResetAsync(7, 1, It.Is<CheckResetEntity>(x => x.CheckId == 10 && x.Sha == Sha.A && x.At == Harness.Now.AddMinutes(1)), It.IsAny<CancellationToken>()), Times.Once);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.RetryRequested && ev.CheckIds.Single() == 10L), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RetryAsync_PendingPastTimeout_CountsAsFailed()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        await h.StatusChecks().RetryAsync(Caller.Admin, "7", 1, 10);

        h.Responses.Verify(r => r.ResetAsync(7, 1, It.IsAny<CheckResetEntity>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListForMergeRequestAsync_MixedChecks_OnlyApplicableWithStatuses()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 1, ProjectId = 7, Name = "release/*" }, new ProtectedBranchEntity { Id = 2, ProjectId = 7, Name = "main" });
        h.GivenChecks(h.GivenCheck(10, "all"), h.GivenCheck(11, "release", 1), h.GivenCheck(12, "main", 2));
        h.GivenMergeRequest(target: "release/2.0");
        h.GivenLatestResponse(1, 11, Sha.A, "failed", Harness.Now.AddSeconds(1));

        var page = await h.StatusChecks().ListForMergeRequestAsync(Caller.Admin, "7", 1, PageRequest.Default);

        Assert.Equal([(10L, "pending"), (11L, "failed")], page.Items.Select(c => (c.Id, c.Status)));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task ListForMergeRequestAsync_UnknownMergeRequest_NotFound() =>
        Assert.Equal(
            new DomainError.NotFound("Merge Request"),
            await DomainAssert.ThrowsAsync(() => h.StatusChecks().ListForMergeRequestAsync(Caller.Admin, "7", 9, PageRequest.Default)));
}
