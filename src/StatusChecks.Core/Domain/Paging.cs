namespace StatusChecks.Core.Domain;

/// <summary>GitLab's <c>page</c>/<c>per_page</c>: page from 1, per_page 1..100 (default 20).</summary>
public sealed record PageRequest
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    private PageRequest(int page, int perPage)
    {
        Page = page;
        PerPage = perPage;
    }

    public static PageRequest Default { get; } = new(1, DefaultPerPage);

    public int Page { get; }

    public int PerPage { get; }

    /// <summary>Items before this page; long because page * per_page overflows int for absurd pages.</summary>
    public long Skip => (Page - 1L) * PerPage;

    /// <summary>Out-of-range values are clamped as GitLab does, never rejected: page &lt; 1 is 1, per_page is 1..100.</summary>
    public static PageRequest Create(int? page, int? perPage) => new(
        page is null or < 1 ? 1 : page.Value,
        perPage switch
        {
            null or < 1 => DefaultPerPage,
            > MaxPerPage => MaxPerPage,
            _ => perPage.Value,
        });

    /// <summary>One page of an in-memory list (for lists that must be computed whole anyway).</summary>
    public Page<T> Slice<T>(IReadOnlyList<T> all) =>
        new(Skip >= all.Count ? [] : all.Skip((int)Skip).Take(PerPage).ToList(), Page, PerPage, all.Count);
}

/// <summary>One page of a list and the numbers the HTTP layer turns into X-Total, X-Next-Page, Link, ...</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PerPage, long Total);
