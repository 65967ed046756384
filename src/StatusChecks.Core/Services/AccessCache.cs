using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>
/// Tokens, projects and memberships as the access checks read them, kept in memory for
/// <see cref="StatusChecksOptions.AccessCacheDuration"/> so a warm instance answers without those round trips
/// (issue 11). Only what exists is kept (an unknown token or a non-member is read every time), and entries are
/// counted, so memory stays bounded. The staleness is the price: a change made on another instance (a revoked
/// token, a removed member, a new role) takes effect here within the duration; the stores forget the entries of
/// the writes this instance makes, at once.
/// </summary>
internal sealed class AccessCache : IDisposable
{
    /// <summary>Entries kept at most (each entry is a small row).</summary>
    public const int MaxEntries = 100_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly TimeSpan duration;

    public AccessCache(IOptions<StatusChecksOptions> options) => duration = options.Value.AccessCacheDuration;

    /// <summary>A cache that keeps nothing (every lookup reads the store).</summary>
    public static AccessCache Disabled { get; } = new(Options.Create(new StatusChecksOptions { AccessCacheDuration = TimeSpan.Zero }));

    public Task<TokenEntity?> TokenAsync(string tokenHash, Func<Task<TokenEntity?>> read) => GetAsync(("token", tokenHash), read);

    public Task<ProjectEntity?> ProjectAsync(long id, Func<Task<ProjectEntity?>> read) => GetAsync(("project", id), read);

    public Task<ProjectEntity?> ProjectByPathAsync(string lowerPath, Func<Task<ProjectEntity?>> read) => GetAsync(("path", lowerPath), read);

    public Task<MemberEntity?> MemberAsync(long projectId, long userId, Func<Task<MemberEntity?>> read) => GetAsync(("member", projectId, userId), read);

    public void ForgetProject(ProjectEntity project)
    {
        cache.Remove(("project", project.Id));
        cache.Remove(("path", (project.Namespace + "/" + project.Path).ToLowerInvariant()));
    }

    public void ForgetMember(long projectId, long userId) => cache.Remove(("member", projectId, userId));

    public void Dispose() => cache.Dispose();

    private async Task<T?> GetAsync<T>(object key, Func<Task<T?>> read)
        where T : class
    {
        if (duration <= TimeSpan.Zero)
        {
            return await read();
        }

        if (cache.TryGetValue(key, out T? hit))
        {
            return hit;
        }

        var value = await read();
        if (value is not null)
        {
            cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration, Size = 1 });
        }

        return value;
    }
}
