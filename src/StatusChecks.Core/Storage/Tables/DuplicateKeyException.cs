namespace StatusChecks.Core.Storage.Tables;

/// <summary>A unique value (the index row for <see cref="Field"/>) already exists.</summary>
internal sealed class DuplicateKeyException(string field, Exception? inner = null)
    : Exception($"{field} is already taken", inner)
{
    public string Field { get; } = field;
}
