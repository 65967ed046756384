namespace StatusChecks.Core.Storage.Tables;

internal interface IUserStore
{
    Task<UserEntity?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Duplicate fields: <c>username</c>, <c>email</c> (both case-insensitive).</summary>
    Task CreateAsync(UserEntity user, CancellationToken cancellationToken);

    /// <summary>Adds the row alone (no index rows) unless one with its id exists; returns the stored row.</summary>
    Task<UserEntity> GetOrAddAsync(UserEntity user, CancellationToken cancellationToken);

    Task<TokenEntity?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task CreateTokenAsync(string tokenHash, TokenEntity token, CancellationToken cancellationToken);
}
