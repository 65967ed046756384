using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using static StatusChecks.Core.Tests.Notifications.NotificationTestData;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class NotificationMessagesTests
{
    [Fact]
    public void DecodeEvent_EncodedEvent_RoundTrips()
    {
        var original = Event(MergeRequestEventKind.CheckApplied, checkIds: [10, 11]);

        var decoded = NotificationMessages.DecodeEvent(NotificationMessages.Encode(original));

        Assert.Equal(original with { CheckIds = decoded.CheckIds }, decoded);
        Assert.Equal([10L, 11L], decoded.CheckIds);
        Assert.Contains("\"kind\":\"CheckApplied\"", NotificationMessages.Encode(original), StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeDelivery_EncodedMessage_RoundTrips()
    {
        var original = new DeliveryMessage(5, 7, 1, 10, 3, 2);

        Assert.Equal(original, NotificationMessages.DecodeDelivery(NotificationMessages.Encode(original)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("""{"kind":"Opened","projectId":7,"mergeRequestId":501,"mergeRequestIid":1,"sha":"a","targetBranch":"main","checkIds":[],"actor":"admin"}""")]
    [InlineData("""{"kind":"Exploded","projectId":7,"mergeRequestId":501,"mergeRequestIid":1,"sha":"a","targetBranch":"main","checkIds":[],"actor":"admin","eventId":"08f1801a-5984-8121-ab46-4e38a1f33b05"}""")]
    public void DecodeEvent_NotACompleteEvent_FormatException(string text) =>
        Assert.Throws<FormatException>(() => NotificationMessages.DecodeEvent(text));

    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"deliveryId":5,"projectId":7,"mergeRequestIid":1,"checkId":10,"attempt":1,"roundStart":2}""")]
    [InlineData("""{"deliveryId":0,"projectId":7,"mergeRequestIid":1,"checkId":10,"attempt":1,"roundStart":1}""")]
    [InlineData("""{"deliveryId":5,"projectId":7,"mergeRequestIid":1,"checkId":10,"attempt":2,"roundStart":1,"deferrals":2}""")]
    [InlineData("""{"deliveryId":5,"projectId":7,"mergeRequestIid":1,"checkId":10,"attempt":2,"roundStart":1,"deferrals":-1}""")]
    public void DecodeDelivery_NotACompleteMessage_FormatException(string text) =>
        Assert.Throws<FormatException>(() => NotificationMessages.DecodeDelivery(text));

    [Fact]
    public void DecodeDelivery_MessageFromBeforeDeferrals_NoneCounted()
    {
        var message = NotificationMessages.DecodeDelivery("""{"deliveryId":5,"projectId":7,"mergeRequestIid":1,"checkId":10,"attempt":3,"roundStart":1}""");

        Assert.Equal((0, 3), (message.Deferrals, message.AttemptInRound));
    }

    [Fact]
    public void NextAfterDeferral_TheRetryScheduleDoesNotMove()
    {
        var message = new DeliveryMessage(5, 7, 1, 10, Attempt: 2, RoundStart: 1);

        var next = message.NextAfterDeferral();

        Assert.Equal((3, 1, 2), (next.Attempt, next.Deferrals, next.AttemptInRound));
        Assert.Equal(next, NotificationMessages.DecodeDelivery(NotificationMessages.Encode(next)));
    }

    [Fact]
    public void ForRevision_SameWrite_SameIdOtherwiseDifferent()
    {
        Assert.Equal(EventIds.ForRevision(501, 3), EventIds.ForRevision(501, 3));
        Assert.NotEqual(EventIds.ForRevision(501, 3), EventIds.ForRevision(501, 4));
        Assert.NotEqual(EventIds.ForRevision(501, 3), EventIds.ForRevision(502, 3));
        Assert.Equal(8, EventIds.ForRevision(501, 3).Version);
    }
}
