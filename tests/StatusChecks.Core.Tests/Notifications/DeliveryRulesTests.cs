using StatusChecks.Core.Notifications;
using StatusChecks.Core.Storage.Tables;
using static StatusChecks.Core.Tests.Notifications.NotificationTestData;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class DeliveryRulesTests
{
    private static DeliveryEntity Delivery(int attempts, string status = DeliveryStatuses.Pending) =>
        new() { Id = 1, ProjectId = 7, MergeRequestIid = 1, CheckId = 10, Attempts = attempts, Status = status };

    private static DeliveryMessage Message(int attempt, int roundStart = 1) => new(1, 7, 1, 10, attempt, roundStart);

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(599, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(422, false)]
    [InlineData(302, false)]
    public void IsRetryable_StatusCode_OnlyTimeoutsThrottlingAndServerErrors(int statusCode, bool retryable) =>
        Assert.Equal(retryable, DeliveryRules.IsRetryable(statusCode));

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(2, 3, 1)]
    public void Decide_NextAttemptOfPendingDelivery_Send(int attempts, int attempt, int roundStart) =>
        Assert.IsType<DeliveryDecision.Send>(DeliveryRules.Decide(Delivery(attempts), Message(attempt, roundStart), Now));

    [Theory]
    [InlineData(1, DeliveryStatuses.Succeeded)]
    [InlineData(1, DeliveryStatuses.Pending)]
    [InlineData(3, DeliveryStatuses.Failed)]
    public void Decide_AttemptRecordedAlready_SkipSoASuccessIsNeverSentAgain(int attempts, string status) =>
        Assert.IsType<DeliveryDecision.Skip>(DeliveryRules.Decide(Delivery(attempts, status), Message(1), Now));

    [Fact]
    public void Decide_AttemptAheadOfTheNext_Skip() =>
        Assert.IsType<DeliveryDecision.Skip>(DeliveryRules.Decide(Delivery(1), Message(3), Now));

    [Fact]
    public void Decide_UnknownDelivery_Skip() =>
        Assert.IsType<DeliveryDecision.Skip>(DeliveryRules.Decide(null, Message(1), Now));

    [Theory]
    [InlineData(DeliveryStatuses.Succeeded)]
    [InlineData(DeliveryStatuses.Failed)]
    public void Decide_RetryOfAFinishedDelivery_Skip(string status) =>
        Assert.IsType<DeliveryDecision.Skip>(DeliveryRules.Decide(Delivery(2, status), Message(3, roundStart: 1), Now));

    [Theory]
    [InlineData(DeliveryStatuses.Succeeded)]
    [InlineData(DeliveryStatuses.Failed)]
    [InlineData(DeliveryStatuses.Pending)]
    public void Decide_RedeliveryStartsANewRound_Send(string status) =>
        Assert.IsType<DeliveryDecision.Send>(DeliveryRules.Decide(Delivery(2, status), Message(3, roundStart: 3), Now));

    [Fact]
    public void Decide_AttemptClaimedByALiveSender_DeferUntilTheClaimEnds()
    {
        var claimed = Delivery(0) with { SendingAttempt = 1, SendingUntil = Now.AddSeconds(25) };

        Assert.Equal(TimeSpan.FromSeconds(25), Assert.IsType<DeliveryDecision.Defer>(DeliveryRules.Decide(claimed, Message(1), Now)).Delay);
    }

    [Fact]
    public void Decide_ClaimExpired_SendAgain() =>
        Assert.IsType<DeliveryDecision.Send>(DeliveryRules.Decide(Delivery(0) with { SendingAttempt = 1, SendingUntil = Now.AddSeconds(-1) }, Message(1), Now));

    [Theory]
    [InlineData(1, 1, "event")]
    [InlineData(2, 1, "retry")]
    [InlineData(4, 4, "redeliver")]
    [InlineData(5, 4, "retry")]
    public void Trigger_AttemptAndRound_Named(int attempt, int roundStart, string trigger) =>
        Assert.Equal(trigger, DeliveryRules.Trigger(Message(attempt, roundStart)));
}
