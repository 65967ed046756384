using System.Runtime.Serialization;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The part of an event's webhook body that all of its deliveries share (everything but the check), stored once per
/// event beside them instead of once in every delivery row (<see cref="DeliveryEntity.PayloadKey"/>).
/// </summary>
internal sealed record EventPayloadEntity : ChunkedPayloadRow
{
    [IgnoreDataMember]
    public string Text
    {
        get => DeliveryPayload.Read(this);
        set => DeliveryPayload.Write(this, value);
    }
}
