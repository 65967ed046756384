using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StatusChecks.Core.Notifications;
using StatusChecks.LocalHost;
using StatusChecks.Testing;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>The real delivery client (as registered: guard, no redirects, resilience timeout) against loopback servers.</summary>
public sealed class WebhookSenderTests
{
    private const string Body = """{"object_kind":"merge_request","title":"Ünïcode"}""";
    private static readonly Guid EventId = Guid.Parse("08f1801a-5984-8121-ab46-4e38a1f33b05");
    private static readonly Guid IdempotencyKey = Guid.Parse("dab4ebb9-0d81-877d-9030-15a1e95a5628");

    private static WebhookSender Sender(bool allowPrivateNetworks = true, string timeout = "00:00:05")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["StatusChecks:Notifications:AllowPrivateNetworks"] = allowPrivateNetworks.ToString(),
                ["StatusChecks:Notifications:RequestTimeout"] = timeout,
            })
            .Build();
        return new ServiceCollection().AddLogging().AddStatusChecksNotifications(configuration).BuildServiceProvider().GetRequiredService<WebhookSender>();
    }

    private static WebhookRequest Request(Uri url, string? secret = null) => new(url, EventId, IdempotencyKey, Body, secret);

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task SendAsync_2xx_Succeeded(int status)
    {
        await using var server = await WebhookSink.AnsweringAsync(status);

        var result = await Sender().SendAsync(Request(server.Urls[0]), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(status, result.ResponseCode);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    public async Task SendAsync_Not2xx_FailureWithTheCodeRetriedOnlyWhenPassing(int status, bool retryable)
    {
        await using var server = await WebhookSink.AnsweringAsync(status);

        var result = await Sender().SendAsync(Request(server.Urls[0]), CancellationToken.None);

        Assert.Equal((false, status, retryable), (result.Succeeded, result.ResponseCode, result.Retryable));
        Assert.StartsWith($"HTTP {status}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Redirect_NotFollowed()
    {
        await using var target = await WebhookSink.AnsweringAsync(200);
        await using var server = await WebhookSink.StartAsync(new WebhookSinkOptions { Statuses = [302], Location = target.Url });

        var result = await Sender().SendAsync(Request(server.Urls[0]), CancellationToken.None);

        Assert.Equal((false, 302), (result.Succeeded, result.ResponseCode));
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinTimeout_RetryableFailureAfterTheTimeout()
    {
        await using var server = await WebhookSink.SilentAsync();

        var result = await Sender(timeout: "00:00:00.300").SendAsync(Request(server.Urls[0]), CancellationToken.None);

        Assert.Equal((false, (int?)null, true), (result.Succeeded, result.ResponseCode, result.Retryable));
        Assert.Contains("No response within 0.3 s", result.Error, StringComparison.Ordinal);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task SendAsync_NobodyListening_RetryableFailure()
    {
        var result = await Sender().SendAsync(Request(new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/hook")), CancellationToken.None);

        Assert.Equal((false, true), (result.Succeeded, result.Retryable));
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("0.0.0.0")]
    public async Task SendAsync_GuardOnAndForbiddenTarget_RefusedAfterResolutionNotRetryableNothingSent(string host)
    {
        await using var server = await WebhookSink.AnsweringAsync(200);

        var result = await Sender(allowPrivateNetworks: false).SendAsync(Request(new Uri($"http://{host}:{server.Urls[0].Port}/hook")), CancellationToken.None);

        Assert.Equal((false, false), (result.Succeeded, result.Retryable));
        // Only that the address was refused: not the address a name resolved to (docs/API.md (Notifications)).
        Assert.Equal(NetworkGuard.RefusedMessage, result.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Create_WithSecret_GitLabHeadersAndSignaturesThatVerifyIndependently()
    {
        var now = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        using var request = WebhookSender.Create(Request(new Uri("https://ci.example/hook"), "s3cret"), now);

        var body = await request.Content!.ReadAsByteArrayAsync();
        Assert.Equal(Body, Encoding.UTF8.GetString(body));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json", request.Content.Headers.ContentType!.ToString());
        Assert.Equal("Merge Request Hook", Header(request, "X-Gitlab-Event"));
        Assert.Equal(EventId.ToString(), Header(request, "X-Gitlab-Event-UUID"));
        Assert.Equal(IdempotencyKey.ToString(), Header(request, "Idempotency-Key"));
        Assert.Matches(@"^StatusChecks/\d+\.\d+\.\d+$", Header(request, "User-Agent"));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret"));
        Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash(body)), Header(request, "X-Gitlab-Signature"));
        var timestamp = Header(request, "X-StatusChecks-Timestamp");
        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        Assert.Equal("v1=" + Convert.ToHexStringLower(hmac.ComputeHash(signed)), Header(request, "X-StatusChecks-Signature"));
    }

    [Fact]
    public void Create_WithoutSecret_NoSignatureHeaders()
    {
        using var request = WebhookSender.Create(Request(new Uri("https://ci.example/hook")), DateTimeOffset.UnixEpoch);

        Assert.False(request.Headers.Contains("X-Gitlab-Signature"));
        Assert.False(request.Headers.Contains("X-StatusChecks-Timestamp"));
        Assert.False(request.Headers.Contains("X-StatusChecks-Signature"));
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
