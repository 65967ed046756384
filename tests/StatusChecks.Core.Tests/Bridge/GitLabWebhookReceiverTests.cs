using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Services;

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
