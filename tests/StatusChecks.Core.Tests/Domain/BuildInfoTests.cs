using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class BuildInfoTests
{
    [Theory]
    [InlineData("0.1.0+8f86117a95e39af5f950f33e9aa6c10d66468704", "0.1.0", "8f86117a95e39af5f950f33e9aa6c10d66468704")]
    [InlineData("1.2.3-beta.1+abc", "1.2.3-beta.1", "abc")]
    [InlineData("0.1.0", "0.1.0", "unknown")]
    [InlineData("0.1.0+", "0.1.0", "unknown")]
    [InlineData(null, "0.0.0", "unknown")]
    [InlineData("", "0.0.0", "unknown")]
    public void Parse_InformationalVersion_VersionAndRevision(string? informational, string version, string revision) =>
        Assert.Equal([version, revision], BuildInfo.Parse(informational));

    [Fact]
    public void Version_ThisBuild_IsTheProjectVersionWithoutMetadata()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", BuildInfo.Version);
        Assert.DoesNotContain("+", BuildInfo.Version, StringComparison.Ordinal);
        Assert.NotEmpty(BuildInfo.Revision);
    }
}
