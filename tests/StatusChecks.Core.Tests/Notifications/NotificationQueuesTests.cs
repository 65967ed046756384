using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class NotificationQueuesTests
{
    [Theory]
    [InlineData(500, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 2000)]
    [InlineData(29_500, 30_000)]
    public void WholeSeconds_FractionalDelay_RoundedUpBecauseTheQueueServiceCountsSeconds(int milliseconds, int expected) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expected), NotificationQueues.WholeSeconds(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void WholeSeconds_NoDelay_Null()
    {
        Assert.Null(NotificationQueues.WholeSeconds(null));
        Assert.Null(NotificationQueues.WholeSeconds(TimeSpan.Zero));
    }
}
