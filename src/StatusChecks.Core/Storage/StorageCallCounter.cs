using Azure.Core;
using Azure.Core.Pipeline;

namespace StatusChecks.Core.Storage;

/// <summary>
/// The storage round trips of one logical request (an HTTP invocation, a benchmark iteration), counted by
/// <see cref="StorageCallCountingPolicy"/> on the Table and Queue clients. <see cref="Total"/> is every HTTP
/// attempt (SDK retries included); <see cref="Sequential"/> counts a call only when none of the request's other
/// calls is in flight, so calls issued together (Task.WhenAll) count once: the round trips a request waits for.
/// </summary>
public sealed class StorageCallCounter
{
    private static readonly AsyncLocal<StorageCallCounter?> CurrentCounter = new();
    private readonly Lock gate = new();
    private int inFlight;

    public int Total { get; private set; }

    public int Sequential { get; private set; }

    /// <summary>The counter of the current async flow, if one was started.</summary>
    public static StorageCallCounter? Current => CurrentCounter.Value;

    /// <summary>Counts the storage calls made from here on in this async flow (and the flows it starts).</summary>
    public static StorageCallCounter Start()
    {
        var counter = new StorageCallCounter();
        CurrentCounter.Value = counter;
        return counter;
    }

    internal void Begin()
    {
        lock (gate)
        {
            Total++;
            if (inFlight++ == 0)
            {
                Sequential++;
            }
        }
    }

    internal void End()
    {
        lock (gate)
        {
            inFlight--;
        }
    }
}

/// <summary>Counts each HTTP attempt against the current <see cref="StorageCallCounter"/>; costs nothing when none is started.</summary>
internal sealed class StorageCallCountingPolicy : HttpPipelinePolicy
{
    public static StorageCallCountingPolicy Instance { get; } = new();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counter = StorageCallCounter.Current;
        counter?.Begin();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            counter?.End();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counter = StorageCallCounter.Current;
        counter?.Begin();
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            counter?.End();
        }
    }
}
