using Microsoft.Extensions.Logging;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Functions.Notifications;

namespace StatusChecks.Functions.Tests.Notifications;

/// <summary>The queue functions decode their message and hand it on; an undecodable one is logged and fails (-> poison).</summary>
public sealed class QueueFunctionsTests
{
    private static readonly MergeRequestEvent Event = new(
        MergeRequestEventKind.Opened, 7, 501, 1, new string('a', 40), "main", [10], null, null, "admin",
        new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), EventIds.ForRevision(501, 1), 1);

    private readonly Mock<INotificationFanOut> fanOut = new(MockBehavior.Strict);
    private readonly Mock<IDeliveryProcessor> deliveries = new(MockBehavior.Strict);
    private readonly ListLogger logger = new();

    [Fact]
    public async Task FanOut_Event_HandedToTheFanOut()
    {
        MergeRequestEvent? handled = null;
        fanOut.Setup(f => f.HandleAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEvent, CancellationToken>((e, _) => handled = e)
            .Returns(Task.CompletedTask);

        await new NotificationFanOutFunction(fanOut.Object, logger.For<NotificationFanOutFunction>()).Run(NotificationMessages.Encode(Event), "m1", 1, CancellationToken.None);

        Assert.Equal((Event.EventId, Event.Kind, Event.Sha, 10L), (handled!.EventId, handled.Kind, handled.Sha, handled.CheckIds.Single()));
        Assert.Empty(logger.Errors);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"kind\":\"Opened\"}")]
    public async Task FanOut_Undecodable_LoggedAndFailsSoTheHostRetriesThenPoisons(string message)
    {
        var function = new NotificationFanOutFunction(fanOut.Object, logger.For<NotificationFanOutFunction>());

        await Assert.ThrowsAsync<FormatException>(() => function.Run(message, "m1", 3, CancellationToken.None));

        var error = Assert.Single(logger.Errors);
        Assert.Contains("m1", error, StringComparison.Ordinal);
        Assert.Contains("mr-events-poison", error, StringComparison.Ordinal);
        Assert.DoesNotContain(message, error, StringComparison.Ordinal);
        fanOut.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Delivery_Message_HandedToTheProcessor()
    {
        var message = new DeliveryMessage(5, 7, 1, 10, 2, 1);
        deliveries.Setup(d => d.HandleAsync(message, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await new DeliveryFunction(deliveries.Object, logger.For<DeliveryFunction>()).Run(NotificationMessages.Encode(message), "m2", 1, CancellationToken.None);

        deliveries.Verify(d => d.HandleAsync(message, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Delivery_Undecodable_LoggedAndFails()
    {
        var function = new DeliveryFunction(deliveries.Object, logger.For<DeliveryFunction>());

        await Assert.ThrowsAsync<FormatException>(() => function.Run("{\"deliveryId\":-1}", "m2", 5, CancellationToken.None));

        Assert.Contains("deliveries-poison", Assert.Single(logger.Errors), StringComparison.Ordinal);
        deliveries.VerifyNoOtherCalls();
    }

    /// <summary>Keeps the formatted error messages.</summary>
    private sealed class ListLogger
    {
        public List<string> Errors { get; } = [];

        public ILogger<T> For<T>() => new Logger<T>(this);

        private sealed class Logger<T>(ListLogger owner) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    owner.Errors.Add(formatter(state, exception));
                }
            }
        }
    }
}
