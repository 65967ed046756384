using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Parse_Default_ExponentialFiveRetries()
    {
        var schedule = RetrySchedule.Parse(new NotificationOptions().RetrySchedule);

        Assert.Equal(
            [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)],
            schedule.Delays);
        Assert.Equal(6, schedule.MaxAttempts);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(4, 300)]
    [InlineData(5, 900)]
    public void DelayAfter_AttemptWithRetriesLeft_ScheduledDelay(int attemptInRound, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Parse(new NotificationOptions().RetrySchedule).DelayAfter(attemptInRound));

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(100)]
    public void DelayAfter_LastAttemptOrOutOfRange_Null(int attemptInRound) =>
        Assert.Null(RetrySchedule.Parse(new NotificationOptions().RetrySchedule).DelayAfter(attemptInRound));

    [Fact]
    public void Parse_ShortScheduleWithSpaces_Parsed() =>
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)], RetrySchedule.Parse(" 00:00:00.200 , 00:00:00.500 ").Delays);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Parse_Empty_NoRetries(string? text)
    {
        var schedule = RetrySchedule.Parse(text);

        Assert.Empty(schedule.Delays);
        Assert.Null(schedule.DelayAfter(1));
    }

    [Theory]
    [InlineData("10s")]
    [InlineData("00:00:10,soon")]
    [InlineData("-00:00:01")]
    [InlineData("8.00:00:00")]
    public void TryParse_Invalid_False(string text) => Assert.False(RetrySchedule.TryParse(text, out _));
}
