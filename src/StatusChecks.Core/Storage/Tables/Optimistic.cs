using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>Bounded retries of an optimistic (ETag) operation; when they run out the client gets a 409.</summary>
internal static class Optimistic
{
    public const int MaxAttempts = 40;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
            catch (ConcurrencyException)
            {
                throw new DomainException(new DomainError.Conflict("The resource was changed concurrently; try again"));
            }
        }
    }

    /// <summary>Jittered, growing, capped at 250 ms, so colliding writers spread out instead of colliding again.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(250, 10 * attempt) + 1));
}
