using StatusChecks.Core.Security;

namespace StatusChecks.Core.Tests.Security;

/// <summary>Access tokens: generated with enough randomness, stored only as their hash.</summary>
public sealed class TokenHasherTests
{
    [Fact]
    public void NewToken_Generated_PrefixedUniqueAndAtLeast32RandomBytes()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => TokenHasher.NewToken()).ToList();

        Assert.All(tokens, t => Assert.StartsWith("glpat-", t, StringComparison.Ordinal));
        Assert.All(tokens, t => Assert.Equal(43, t.Length - "glpat-".Length)); // base64url of 32 bytes
        Assert.Equal(100, tokens.Distinct().Count());
    }

    [Fact]
    public void Hash_Token_LowerHexSha256() =>
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", TokenHasher.Hash("test"));
}
