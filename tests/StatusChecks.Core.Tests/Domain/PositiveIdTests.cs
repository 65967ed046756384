using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class PositiveIdTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void TryParse_PositiveDigits_IsTheId(string value, long expected)
    {
        Assert.True(PositiveId.TryParse(value, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("١٢")] // Arabic-Indic digits are digits, but not ids
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_AnythingElse_Refused(string? value) => Assert.False(PositiveId.TryParse(value, out _));
}
