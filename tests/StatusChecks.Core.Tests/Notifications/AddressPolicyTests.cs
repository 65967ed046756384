using System.Net;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Tests.Notifications;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("100.127.255.255", "shared (CGNAT)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456:789a::1", "private")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b:1::1", "private")]
    [InlineData("2002:c0a8:0101::1", "private")]
    [InlineData("2002:7f00:0001::1", "loopback")]
    public void Refusal_ForbiddenAddress_NamesItsKind(string address, string kind) =>
        Assert.Equal(kind, AddressPolicy.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("1.0.0.0")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    [InlineData("fe00::1")]
    public void Refusal_PublicAddress_Null(string address) =>
        Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address)));

    /// <summary>Every refused IPv4 range, by its first and last address (docs/API.md (Notifications)).</summary>
    public static TheoryData<string, string> RefusedIPv4Ranges => new()
    {
        { "0.0.0.0", "unspecified" }, { "0.255.255.255", "unspecified" },
        { "10.0.0.0", "private" }, { "10.255.255.255", "private" },
        { "100.64.0.0", "shared (CGNAT)" }, { "100.127.255.255", "shared (CGNAT)" },
        { "127.0.0.0", "loopback" }, { "127.255.255.255", "loopback" },
        { "168.63.129.16", "Azure platform" },
        { "169.254.0.0", "link-local" }, { "169.254.255.255", "link-local" },
        { "172.16.0.0", "private" }, { "172.31.255.255", "private" },
        { "192.0.0.0", "reserved" }, { "192.0.0.255", "reserved" },
        { "192.168.0.0", "private" }, { "192.168.255.255", "private" },
        { "198.18.0.0", "reserved" }, { "198.19.255.255", "reserved" },
        { "224.0.0.0", "multicast" }, { "239.255.255.255", "multicast" },
        { "240.0.0.0", "reserved" }, { "255.255.255.255", "reserved" },
    };

    [Theory]
    [MemberData(nameof(RefusedIPv4Ranges))]
    public void Refusal_RefusedIPv4Range_RefusedAsIPv4AndInEveryIPv6Form(string ipv4, string kind)
    {
        var bytes = IPAddress.Parse(ipv4).GetAddressBytes();
        var hex = $"{bytes[0]:x2}{bytes[1]:x2}:{bytes[2]:x2}{bytes[3]:x2}";
        var forms = new Dictionary<string, string>
        {
            ["IPv4"] = ipv4,
            ["IPv4-mapped"] = $"::ffff:{ipv4}",
            ["IPv4-compatible"] = $"::{hex}",
            ["NAT64"] = $"64:ff9b::{hex}",
            ["6to4"] = $"2002:{hex}::1",
        };

        Assert.All(forms, form => Assert.True(
            AddressPolicy.Refusal(IPAddress.Parse(form.Value)) == kind, $"{form.Key} {form.Value}: {AddressPolicy.Refusal(IPAddress.Parse(form.Value)) ?? "allowed"}"));
    }

    [Theory]
    [InlineData("168.63.129.15")]
    [InlineData("168.63.129.17")]
    [InlineData("::ffff:168.63.129.17")]
    [InlineData("64:ff9b::a83f:8111")]
    public void Refusal_NextToTheAzurePlatformAddress_Null(string address) =>
        Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Refusal_LinkLocalWithScope_StillRefused() =>
        Assert.Equal("link-local", AddressPolicy.Refusal(IPAddress.Parse("fe80::1%2")));
}
