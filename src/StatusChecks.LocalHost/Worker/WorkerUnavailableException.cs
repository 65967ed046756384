namespace StatusChecks.LocalHost.Worker;

/// <summary>The worker cannot serve a request: it stopped during it, or none became ready in time.</summary>
public sealed class WorkerUnavailableException(string message, bool notReady = false) : Exception(message)
{
    /// <summary>True when no worker was ready (start-up or restart took too long), false when it stopped mid-way.</summary>
    public bool NotReady { get; } = notReady;
}
