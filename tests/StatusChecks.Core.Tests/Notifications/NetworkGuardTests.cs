using System.Net;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>The guard as the delivery client's connect step: what it refuses, and what the refusal says.</summary>
public sealed class NetworkGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "127.0.0.1")]
    [InlineData("http://localhost:9/hook", "127.0.0.1")]
    [InlineData("http://[::ffff:10.1.2.3]:9/hook", "10.1.2.3")]
    [InlineData("http://168.63.129.16/hook", "168.63.129.16")]
    public async Task Connect_RefusedAddress_SaysOnlyThatTheAddressWasRefused(string url, string address)
    {
        var guard = new NetworkGuard(Options.Create(new NotificationOptions { AllowPrivateNetworks = false }));
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(url)));

        var refused = Assert.IsType<DeliveryRefusedException>(error.InnerException);
        Assert.Equal(NetworkGuard.RefusedMessage, refused.Message);
        Assert.DoesNotContain(address, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("resolves", refused.Message, StringComparison.Ordinal);
    }
}
