using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class ProjectRefTests
{
    [Fact]
    public void TryParse_Digits_IsId()
    {
        Assert.True(ProjectRef.TryParse("7", out var project));

        Assert.Equal((7L, (string?)null), (project.Id, project.Path));
        Assert.Equal(ProjectRef.ById(7), project);
    }

    [Fact]
    public void TryParse_EncodedPath_DecodedOnce()
    {
        Assert.True(ProjectRef.TryParse("Group%2FSub%2Fdemo", out var project));

        Assert.Equal(((long?)null, "Group/Sub/demo"), (project.Id, project.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("99999999999999999999999")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("group%252Fdemo")] // a '%' left after one decode
    [InlineData("group%2F..%2Fdemo")]
    public void TryParse_NothingAProjectCanBe_Refused(string? value) =>
        Assert.False(ProjectRef.TryParse(value, out _));

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void ById_NotPositive_Throws(long id) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ProjectRef.ById(id));
}
