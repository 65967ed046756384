namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// A row that holds a webhook body as UTF-8 in up to <see cref="DeliveryPayload.Chunks"/> binary properties (one
/// string property holds only 32K characters; a payload with a long description is larger). See <see cref="DeliveryPayload"/>.
/// </summary>
internal abstract record ChunkedPayloadRow : Row
{
    /// <summary>The body as rows written before chunking hold it; never written now.</summary>
    public string? Payload { get; set; }

    public byte[]? PayloadBytes00 { get; set; }

    public byte[]? PayloadBytes01 { get; set; }

    public byte[]? PayloadBytes02 { get; set; }

    public byte[]? PayloadBytes03 { get; set; }

    public byte[]? PayloadBytes04 { get; set; }

    public byte[]? PayloadBytes05 { get; set; }

    public byte[]? PayloadBytes06 { get; set; }

    public byte[]? PayloadBytes07 { get; set; }

    public byte[]? PayloadBytes08 { get; set; }

    public byte[]? PayloadBytes09 { get; set; }

    public byte[]? PayloadBytes10 { get; set; }

    public byte[]? PayloadBytes11 { get; set; }
}
