using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Configuration;

/// <summary>Issue 12 item 6: the host prints the admin token only when it generated it.</summary>
public sealed class AdminTokenNoticeTests
{
    private const string Token = "configured-admin-token-0123456789";

    [Fact]
    public void Notice_ConfiguredToken_NotPrinted()
    {
        var notice = Context(generated: false).AdminTokenNotice;

        Assert.DoesNotContain(Token, notice, StringComparison.Ordinal);
        Assert.Contains("StatusChecks__AdminToken", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_GeneratedToken_Printed() =>
        Assert.Equal($"Admin token: {Token}", Context(generated: true).AdminTokenNotice);

    private static LocalHostContext Context(bool generated) =>
        new(new LocalHostOptions(), null!, HostSettings.Default, new Dictionary<string, string>(), StartsAzurite: false, Token, generated);
}
