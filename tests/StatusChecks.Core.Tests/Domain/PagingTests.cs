using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class PagingTests
{
    [Theory]
    [InlineData(null, null, 1, 20)]
    [InlineData(3, 50, 3, 50)]
    [InlineData(0, 0, 1, 20)]
    [InlineData(-5, -1, 1, 20)]
    [InlineData(2, 101, 2, 100)]
    [InlineData(1, 100, 1, 100)]
    public void Create_Values_ClampedAsGitLab(int? page, int? perPage, int expectedPage, int expectedPerPage)
    {
        var request = PageRequest.Create(page, perPage);

        Assert.Equal((expectedPage, expectedPerPage), (request.Page, request.PerPage));
    }

    [Fact]
    public void Skip_HugePage_DoesNotOverflow() =>
        Assert.Equal((int.MaxValue - 1L) * 100, PageRequest.Create(int.MaxValue, 100).Skip);

    [Fact]
    public void Slice_45Items_RightItemsPerPage()
    {
        var all = Enumerable.Range(1, 45).ToList();

        Assert.Equal(Enumerable.Range(21, 20), PageRequest.Create(2, 20).Slice(all).Items);
        Assert.Equal(Enumerable.Range(41, 5), PageRequest.Create(3, 20).Slice(all).Items);
        Assert.Empty(PageRequest.Create(4, 20).Slice(all).Items);
        Assert.Equal(45, PageRequest.Create(4, 20).Slice(all).Total);
    }
}
