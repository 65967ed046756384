using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Notifications;
using StatusChecks.Core.Tests.Services;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Bridge;

/// <summary>
/// The reporter's queue rules: only the latest desired state is posted, never twice; pending schedules a timeout look;
/// posts share the deliveries' fairness (host slots, the GitLab's shared failure state), with a fake clock.
/// </summary>
public sealed class CommitStatusReporterTests
{
    private static readonly Uri GitLabApi = new("https://gitlab.example.com/api/v4/");
    private readonly Harness h = new();
    private readonly Mock<IGitLabBridgeStore> store = new();
    private readonly Mock<INotificationQueues> queues = new();
    private readonly Mock<ISecretProtector> secrets = new();
    private readonly List<HttpRequestMessage> posts = [];
    private readonly UrlHealthTests.MemoryStore healthRows = new();
    private readonly IOptions<NotificationOptions> notificationOptions = Options.Create(new NotificationOptions { RetrySchedule = "00:00:10", MaxInFlightPerHost = 2 });
    private readonly List<(string Message, TimeSpan? Delay)> queued = [];
    private readonly List<CommitStatusAttemptEntity> logged = [];
    private readonly HostSlots slots;
    private HttpStatusCode answer = HttpStatusCode.Created;
    private readonly GitLabLinkEntity link = new() { ProjectId = 7, GitLabProjectId = 99, GitLabUrl = "https://gitlab.example.com", ProtectedAccessToken = "p", StatusName = "external-status-checks" };
    private CommitStatusReportEntity? saved;

    public CommitStatusReporterTests()
    {
        store.Setup(s => s.GetLinkAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(link);
        store.Setup(s => s.SaveReportAsync(It.IsAny<CommitStatusReportEntity>(), It.IsAny<CancellationToken>()))
            .Callback<CommitStatusReportEntity, CancellationToken>((r, _) => saved = r)
            .ReturnsAsync((CommitStatusReportEntity r, CancellationToken _) => r);
        secrets.Setup(s => s.Unprotect("p")).Returns("glpat-token");
        store.Setup(s => s.AddAttemptAsync(7, It.IsAny<CommitStatusAttemptEntity>(), It.IsAny<CancellationToken>()))
            .Callback<long, CommitStatusAttemptEntity, CancellationToken>((_, attempt, _) => logged.Add(attempt))
            .Returns(Task.CompletedTask);
        queues.Setup(q => q.SendAsync(BridgeQueueNames.Statuses, It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, TimeSpan?, CancellationToken>((_, message, delay, _) => queued.Add((message, delay)))
            .Returns(Task.CompletedTask);
        slots = new HostSlots(notificationOptions, h.Time);
    }

    private CommitStatusReporter Reporter()
    {
        var handler = new Handler(posts, () => answer);
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(handler, disposeHandler: false));
        var health = new UrlHealthTracker(healthRows, h.Time, notificationOptions, NullLogger<UrlHealthTracker>.Instance);
        return new CommitStatusReporter(
            store.Object, h.MergeRequests.Object, h.Evaluator, secrets.Object, new GitLabCommitStatusClient(factory.Object, h.Time, notificationOptions),
            health, slots, queues.Object, h.Time, h.Options, notificationOptions, NullLogger<CommitStatusReporter>.Instance);
    }

    private static CommitStatusReportEntity Report(long version, long sentVersion, long iid = 1, string sha = Sha.A) => new()
    {
        ProjectId = 7, Iid = iid, Sha = sha, Ref = "feature", Version = version, SentVersion = sentVersion, ETag = new Azure.ETag("e"),
        Statuses = CommitStatusRules.Serialize([new DesiredCommitStatus("external-status-checks", "success", "1 of 1 external check passed")]),
    };

    [Fact]
    public async Task SendOfAnOlderVersion_PostsTheLatestOnce()
    {
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 3, sentVersion: 1));

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 2, Attempt: 1), CancellationToken.None);

        var post = Assert.Single(posts);
        Assert.Equal($"https://gitlab.example.com/api/v4/projects/99/statuses/{Sha.A}", post.RequestUri!.ToString());
        Assert.Equal("glpat-token", post.Headers.GetValues("PRIVATE-TOKEN").Single());
        Assert.Equal(3, saved!.SentVersion);
    }

    [Theory]
    [InlineData(3, 3, 1)] // sent already
    [InlineData(3, 1, 2)] // a retry of an older version: the newer one has its own send
    public async Task NothingToSend(long version, long sentVersion, int attempt)
    {
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version, sentVersion));

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 2, Attempt: attempt), CancellationToken.None);

        Assert.Empty(posts);
    }

    [Fact]
    public async Task Evaluate_PendingCheck_StoresNewVersion_QueuesSendAndATimeoutLook()
    {
        h.GivenChecks(h.GivenCheck(31, "ci"));
        h.GivenMergeRequest(iid: 1);

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Evaluate, 7, 1), CancellationToken.None);

        Assert.Equal((1L, Sha.A, "feature"), (saved!.Version, saved.Sha, saved.Ref));
        Assert.Equal("pending", Assert.Single(CommitStatusRules.Parse(saved.Statuses)).State);
        queues.Verify(q => q.SendAsync(BridgeQueueNames.Statuses, BridgeMessages.Encode(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, 1, 1)), null, It.IsAny<CancellationToken>()));
        queues.Verify(q => q.SendAsync(
            BridgeQueueNames.Statuses, BridgeMessages.Encode(new CommitStatusMessage(CommitStatusMessage.Evaluate, 7, 1)), h.Options.Value.PendingTimeout + TimeSpan.FromSeconds(1), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Evaluate_Unchanged_AndSent_NothingQueued()
    {
        h.GivenMergeRequest(iid: 1);
        var report = Report(version: 2, sentVersion: 2) with
        {
            Statuses = CommitStatusRules.Serialize([new DesiredCommitStatus("external-status-checks", "success", "No external checks apply")]),
        };
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(report);

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Evaluate, 7, 1), CancellationToken.None);

        Assert.Null(saved);
        queues.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Hooks_UnlinkedProject_NothingQueued()
    {
        await Reporter().MergeRequestChangedAsync(h.Project with { GitLabLinked = false }, 1, CancellationToken.None);
        await Reporter().ChecksChangedAsync(h.Project with { GitLabLinked = false }, CancellationToken.None);

        queues.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task GitLabTemporarilyDisabled_NothingPosted_LogSaysUntilWhen_SameAttemptQueuedForThen()
    {
        var until = Harness.Now.AddMinutes(2);
        healthRows.Rows[UrlHealthTracker.Hash(GitLabApi)] = (new UrlHealthState(5, until), new Azure.ETag("h"));
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 3, sentVersion: 1));
        var message = new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 3, Attempt: 2);

        await Reporter().HandleAsync(message, CancellationToken.None);

        Assert.Empty(posts);
        Assert.Null(saved); // not marked sent
        var entry = Assert.Single(logged);
        Assert.Equal(
            ("external-status-checks", "success", Sha.A, 3L, 2, DeliveryStatuses.Retrying, (int?)null),
            (entry.Name, entry.State, entry.Sha, entry.Version, entry.Attempt, entry.Status, entry.ResponseCode));
        Assert.Equal(
            "Not sent: the URL is temporarily disabled until 2026-11-25T10:02:00.000Z after 5 consecutive failures; the commit status waits for it",
            entry.Error);
        // The same message, so the same attempt: the wait does not use up the retry schedule. Visible when the period
        // ends (spread over up to 5 s).
        var (again, delay) = Assert.Single(queued);
        Assert.Equal(BridgeMessages.Encode(message), again);
        Assert.InRange(delay!.Value, until - Harness.Now, until - Harness.Now + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DisabledPeriodOver_TheLatestDesiredStateIsPosted()
    {
        healthRows.Rows[UrlHealthTracker.Hash(GitLabApi)] = (new UrlHealthState(4, Harness.Now.AddMinutes(1)), new Azure.ETag("h"));
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 3, sentVersion: 1));
        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 2, Attempt: 1), CancellationToken.None);
        Assert.Empty(posts);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await Reporter().HandleAsync(BridgeMessages.DecodeStatus(queued[0].Message), CancellationToken.None);

        Assert.Single(posts);
        Assert.Equal(3, saved!.SentVersion);
        Assert.Equal(UrlHealthState.Healthy, healthRows.Rows[UrlHealthTracker.Hash(GitLabApi)].State); // the success healed it
    }

    [Fact]
    public async Task NoFreeSlotForTheGitLabHost_NothingPostedOrLogged_SameMessageBookedLater()
    {
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 1, sentVersion: 0));
        // Two deliveries in flight to the GitLab's host (any URL of it): its whole share.
        using var first = await slots.TryTakeAsync(new Uri("https://gitlab.example.com/hooks/a"), TimeSpan.Zero, CancellationToken.None);
        using var second = await slots.TryTakeAsync(new Uri("https://gitlab.example.com/hooks/b"), TimeSpan.Zero, CancellationToken.None);
        var message = new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 1, Attempt: 1);

        await Reporter().HandleAsync(message, CancellationToken.None);

        Assert.Empty(posts);
        Assert.Empty(logged);
        Assert.Null(saved);
        var (again, delay) = Assert.Single(queued);
        Assert.Equal(BridgeMessages.Encode(message), again);
        // Booked as deliveries are: one request timeout ahead, then one slot's worth (timeout / slots) per waiting send.
        var timeout = notificationOptions.Value.RequestTimeout;
        Assert.Equal(timeout + (timeout / 2), delay);
    }

    [Fact]
    public async Task SlotFreedAfterThePost()
    {
        var report = Report(version: 1, sentVersion: 0);
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(() => report);

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 1, Attempt: 1), CancellationToken.None);

        Assert.Single(posts);
        using var first = await slots.TryTakeAsync(GitLabApi, TimeSpan.Zero, CancellationToken.None);
        using var second = await slots.TryTakeAsync(GitLabApi, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(first);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task EachPostRecordedInTheTracker_OneFailingGitLabIsOneUrl_AcrossMergeRequestsAndCommits()
    {
        answer = HttpStatusCode.ServiceUnavailable;
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 1, sentVersion: 0, iid: 1, sha: Sha.A));
        store.Setup(s => s.GetReportAsync(7, 2, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 1, sentVersion: 0, iid: 2, sha: Sha.B));

        // Four failing posts, to two MRs and two commits: GitLab's rules tolerate three, the fourth disables for 1 minute.
        for (var i = 0; i < 4; i++)
        {
            await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1 + (i % 2), Version: 1, Attempt: 1), CancellationToken.None);
        }

        Assert.Equal(4, posts.Count);
        var (state, _) = Assert.Single(healthRows.Rows.Values);
        Assert.Equal(new UrlHealthState(4, Harness.Now.AddMinutes(1)), state);
        Assert.Equal(UrlHealthTracker.Hash(GitLabApi), Assert.Single(healthRows.Rows.Keys));

        // The next send to that GitLab is not posted.
        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 1, Attempt: 2), CancellationToken.None);
        Assert.Equal(4, posts.Count);
        Assert.StartsWith("Not sent: the URL is temporarily disabled until 2026-11-25T10:01:00.000Z", logged[^1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinalAnswerFromGitLab_NeitherFailsNorHealsTheUrl()
    {
        answer = HttpStatusCode.NotFound; // an unknown project or commit: GitLab answered
        healthRows.Rows[UrlHealthTracker.Hash(GitLabApi)] = (new UrlHealthState(3, null), new Azure.ETag("h"));
        store.Setup(s => s.GetReportAsync(7, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Report(version: 1, sentVersion: 0));

        await Reporter().HandleAsync(new CommitStatusMessage(CommitStatusMessage.Send, 7, 1, Version: 1, Attempt: 1), CancellationToken.None);

        Assert.Single(posts);
        Assert.Equal(new UrlHealthState(3, null), healthRows.Rows[UrlHealthTracker.Hash(GitLabApi)].State);
        Assert.Equal(DeliveryStatuses.Failed, Assert.Single(logged).Status);
    }

    private sealed class Handler(List<HttpRequestMessage> posts, Func<HttpStatusCode> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            posts.Add(request);
            return Task.FromResult(new HttpResponseMessage(answer()) { Content = new StringContent("{}") });
        }
    }
}
