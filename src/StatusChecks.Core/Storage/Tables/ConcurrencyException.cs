namespace StatusChecks.Core.Storage.Tables;

/// <summary>Someone else changed a row between our read and our write (412, or 409 on a row we meant to create).</summary>
internal sealed class ConcurrencyException(Exception? inner = null)
    : Exception("The data changed concurrently", inner);
