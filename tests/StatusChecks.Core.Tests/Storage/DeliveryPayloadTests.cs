using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Storage;

public sealed class DeliveryPayloadTests
{
    [Fact]
    public void Body_LargerThanOneChunk_SplitIntoChunksAndJoinedBack()
    {
        var body = "{\"d\":\"" + new string('é', 100_000) + "\"}"; // 200,008 UTF-8 bytes: 4 chunks
        var delivery = new DeliveryEntity { Body = body };

        Assert.Equal(body, delivery.Body);
        Assert.Equal((DeliveryPayload.ChunkBytes, (string?)null), (delivery.PayloadBytes00!.Length, delivery.Payload));
        Assert.NotNull(delivery.PayloadBytes03);
        Assert.Null(delivery.PayloadBytes04);
    }

    [Fact]
    public void Body_RowWrittenBeforeChunking_ReadFromItsPayloadString() =>
        Assert.Equal("{\"a\":1}", new DeliveryEntity { Payload = "{\"a\":1}" }.Body);

    [Fact]
    public void Body_Empty_StillChunked() => Assert.Equal("", new DeliveryEntity { Body = "" }.Body);

    [Fact]
    public void Body_OverTheEntityBudget_RefusedRatherThanCut() =>
        Assert.Throws<InvalidOperationException>(() => new DeliveryEntity { Body = new string('x', DeliveryPayload.MaxBytes + 1) });

    [Fact]
    public void MaxBytes_Base64_FitsTheEntityLimitWithRoomForTheOtherProperties() =>
        Assert.True((DeliveryPayload.MaxBytes / 3 * 4) + (16 * 1024) <= 1024 * 1024);

    [Fact]
    public void TextParts_SurrogatePairAtTheCut_KeptWhole()
    {
        var text = new string('a', TextParts.PartLength - 1) + "\U0001F600" + "b";

        var (first, second) = TextParts.Split(text);

        Assert.Equal((TextParts.PartLength - 1, "\U0001F600b"), (first!.Length, second));
        Assert.Equal(text, TextParts.Join(first, second));
    }

    [Fact]
    public void MergeRequestEntity_LongestDescription_FitsTwoStringProperties()
    {
        var entity = new MergeRequestEntity { Description = new string('x', Rules.MaxDescriptionLength) };

        Assert.True(entity.DescriptionPart1!.Length <= 32 * 1024 && entity.DescriptionPart2!.Length <= 32 * 1024);
        Assert.Equal(Rules.MaxDescriptionLength, entity.Description!.Length);
    }
}
