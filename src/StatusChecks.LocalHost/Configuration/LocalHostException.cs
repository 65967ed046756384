namespace StatusChecks.LocalHost.Configuration;

/// <summary>A fatal, explainable condition: the host prints the message as one line and exits non-zero.</summary>
public sealed class LocalHostException(string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Finds a LocalHostException even when the generic host wrapped it (e.g. in an AggregateException).</summary>
    public static LocalHostException? Find(Exception exception) => exception switch
    {
        LocalHostException found => found,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(e => e is not null),
        { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
