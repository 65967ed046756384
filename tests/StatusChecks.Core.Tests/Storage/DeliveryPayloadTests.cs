using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Storage;

public sealed class DeliveryPayloadTests
{
    [Fact]
    public void Text_LargerThanOneChunk_SplitIntoChunksAndJoinedBack()
    {
        var body = "{\"d\":\"" + new string('é', 100_000) + "\"}"; // 200,008 UTF-8 bytes: 4 chunks
        var payload = new EventPayloadEntity { Text = body };

        Assert.Equal(body, payload.Text);
        Assert.Equal((DeliveryPayload.ChunkBytes, (string?)null), (payload.PayloadBytes00!.Length, payload.Payload));
        Assert.NotNull(payload.PayloadBytes03);
        Assert.Null(payload.PayloadBytes04);
    }

    [Fact]
    public void Text_Empty_StillChunked() => Assert.Equal("", new EventPayloadEntity { Text = "" }.Text);

    [Fact]
    public void Text_OverTheEntityBudget_RefusedRatherThanCut() =>
        Assert.Throws<InvalidOperationException>(() => new EventPayloadEntity { Text = new string('x', DeliveryPayload.MaxBytes + 1) });

    [Fact]
    public void Body_SharedPartAndTail_Joined() =>
        Assert.Equal("{\"a\":1,\"b\":2}", new DeliveryEntity { SharedBody = "{\"a\":1", BodyTail = ",\"b\":2}" }.Body);

    [Fact]
    public void Body_RowWrittenBeforeTheSharedPart_ReadFromItsOwnChunks()
    {
        var delivery = new DeliveryEntity();
        DeliveryPayload.Write(delivery, "{\"a\":1}");

        Assert.Equal("{\"a\":1}", delivery.Body);
    }

    [Fact]
    public void Body_RowWrittenBeforeChunking_ReadFromItsPayloadString() =>
        Assert.Equal("{\"a\":1}", new DeliveryEntity { Payload = "{\"a\":1}" }.Body);

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
