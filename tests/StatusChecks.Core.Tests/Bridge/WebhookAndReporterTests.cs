using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Services;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Bridge;

public sealed class GitLabWebhookReceiverTests
{
    private const string Token = "webhook-secret";
    private readonly Mock<IGitLabBridgeStore> store = new();
    private readonly Mock<INotificationQueues> queues = new();
    private readonly GitLabLinkEntity link = new() { ProjectId = 7, GitLabProjectId = 1, WebhookTokenHash = TokenHasher.Hash(Token) };

    public GitLabWebhookReceiverTests()
    {
        store.Setup(s => s.FindLinksAsync(1, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new GitLabLinkIndexEntity { ProjectId = 7, WebhookTokenHash = link.WebhookTokenHash }]);
        store.Setup(s => s.GetLinkAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(link);
    }

    private static byte[] Documented() =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Notifications", "Fixtures", "gitlab-merge-request-hook.json"));

    private GitLabWebhookReceiver Receiver() => new(store.Object, queues.Object, new FakeTimeProvider(Harness.Now), NullLogger<GitLabWebhookReceiver>.Instance);

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    [InlineData(null)]
    public async Task BadToken_Unauthorized_NothingStoredOrQueued(string? token)
    {
        var error = await DomainAssert.ThrowsAsync(() => Receiver().ReceiveAsync(token, GitLabMergeRequestHook.EventName, Guid.NewGuid().ToString(), Documented()));

        Assert.Equal(new DomainError.Unauthorized(), error);
        store.Verify(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        queues.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task NewEvent_StoredThenQueued()
    {
        var uuid = Guid.NewGuid();
        store.Setup(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(WebhookReceipt.Accepted, await Receiver().ReceiveAsync(Token, GitLabMergeRequestHook.EventName, uuid.ToString(), Documented()));

        store.Verify(s => s.AddEventAsync(It.Is<GitLabEventEntity>(e => e.ProjectId == 7 && e.EventUuid == uuid.ToString()), It.IsAny<CancellationToken>()));
        queues.Verify(q => q.SendAsync(BridgeQueueNames.Events, BridgeMessages.Encode(new GitLabEventMessage(7, uuid.ToString())), null, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ReplayOfAProcessedEvent_ChangesNothing()
    {
        var uuid = Guid.NewGuid().ToString();
        store.Setup(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        store.Setup(s => s.GetEventAsync(7, uuid, It.IsAny<CancellationToken>())).ReturnsAsync(new GitLabEventEntity { Status = GitLabEventStatuses.Mirrored });

        Assert.Equal(WebhookReceipt.Duplicate, await Receiver().ReceiveAsync(Token, GitLabMergeRequestHook.EventName, uuid, Documented()));

        queues.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReplayOfAnUnprocessedEvent_QueuedAgain()
    {
        var uuid = Guid.NewGuid().ToString();
        store.Setup(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        store.Setup(s => s.GetEventAsync(7, uuid, It.IsAny<CancellationToken>())).ReturnsAsync(new GitLabEventEntity { Status = GitLabEventStatuses.Received });

        Assert.Equal(WebhookReceipt.Duplicate, await Receiver().ReceiveAsync(Token, GitLabMergeRequestHook.EventName, uuid, Documented()));

        queues.Verify(q => q.SendAsync(BridgeQueueNames.Events, It.IsAny<string>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OtherEvent_AcknowledgedNotStored()
    {
        Assert.Equal(WebhookReceipt.Ignored, await Receiver().ReceiveAsync(Token, "Push Hook", Guid.NewGuid().ToString(), Documented()));

        store.Verify(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MissingUuid_OrPayloadTheMirrorCannotTake_400NothingStored()
    {
        Assert.Equal(new DomainError.MissingParameter("X-Gitlab-Event-UUID"), await DomainAssert.ThrowsAsync(() => Receiver().ReceiveAsync(Token, GitLabMergeRequestHook.EventName, null, Documented())));
        var hook = JsonNode.Parse(Documented())!;
        hook["object_attributes"]!["last_commit"]!["id"] = "main";
        var error = await DomainAssert.ThrowsAsync(() => Receiver().ReceiveAsync(Token, GitLabMergeRequestHook.EventName, Guid.NewGuid().ToString(), Encoding.UTF8.GetBytes(hook.ToJsonString())));
        Assert.IsType<DomainError.ValidationFailed>(error);
        store.Verify(s => s.AddEventAsync(It.IsAny<GitLabEventEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

/// <summary>The reporter's queue rules: only the latest desired state is posted, never twice; pending schedules a timeout look.</summary>
public sealed class CommitStatusReporterTests
{
    private readonly Harness h = new();
    private readonly Mock<IGitLabBridgeStore> store = new();
    private readonly Mock<INotificationQueues> queues = new();
    private readonly Mock<ISecretProtector> secrets = new();
    private readonly List<HttpRequestMessage> posts = [];
    private readonly GitLabLinkEntity link = new() { ProjectId = 7, GitLabProjectId = 99, GitLabUrl = "https://gitlab.example.com", ProtectedAccessToken = "p", StatusName = "external-status-checks" };
    private CommitStatusReportEntity? saved;

    public CommitStatusReporterTests()
    {
        store.Setup(s => s.GetLinkAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(link);
        store.Setup(s => s.SaveReportAsync(It.IsAny<CommitStatusReportEntity>(), It.IsAny<CancellationToken>()))
            .Callback<CommitStatusReportEntity, CancellationToken>((r, _) => saved = r)
            .ReturnsAsync((CommitStatusReportEntity r, CancellationToken _) => r);
        secrets.Setup(s => s.Unprotect("p")).Returns("glpat-token");
    }

    private CommitStatusReporter Reporter()
    {
        var handler = new Handler(posts);
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(handler, disposeHandler: false));
        var notificationOptions = Options.Create(new NotificationOptions { RetrySchedule = "00:00:10" });
        return new CommitStatusReporter(
            store.Object, h.MergeRequests.Object, h.Evaluator, secrets.Object, new GitLabCommitStatusClient(factory.Object, h.Time, notificationOptions),
            queues.Object, h.Time, h.Options, notificationOptions, NullLogger<CommitStatusReporter>.Instance);
    }

    private static CommitStatusReportEntity Report(long version, long sentVersion) => new()
    {
        ProjectId = 7, Iid = 1, Sha = Sha.A, Ref = "feature", Version = version, SentVersion = sentVersion, ETag = new Azure.ETag("e"),
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

    private sealed class Handler(List<HttpRequestMessage> posts) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            posts.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("{}") });
        }
    }
}
