using System.Text;
using Microsoft.AspNetCore.Http;
using StatusChecks.LocalHost.Http;

namespace StatusChecks.LocalHost.Tests.Http;

/// <summary>The host's 1 MiB body limit, ahead of routing: refused before the body is buffered (issue 12 item 1).</summary>
public sealed class RequestBodyLimitTests
{
    private const int Limit = RequestBodyLimit.MaxBodyBytes;

    [Fact]
    public async Task Invoke_ContentLengthOverTheLimit_413AtOnceWithoutReadingOrCallingTheApp()
    {
        var body = new CountingStream(Limit + 1L);
        var (context, called) = await InvokeAsync(body, contentLength: Limit + 1L);

        await AssertTooLargeAsync(context);
        Assert.False(called);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task Invoke_ChunkedOverTheLimit_413AfterReadingOneByteMoreThanTheLimit()
    {
        var body = new CountingStream(95L * 1000 * 1000);
        var (context, called) = await InvokeAsync(body, contentLength: null);

        await AssertTooLargeAsync(context);
        Assert.False(called);
        Assert.Equal(Limit + 1L, body.BytesRead);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invoke_BodyOfExactlyTheLimit_ReachesTheAppWhole(bool chunked)
    {
        var (context, called) = await InvokeAsync(new CountingStream(Limit), contentLength: chunked ? null : Limit);

        Assert.True(called);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Limit, context.Items["length"]);
    }

    private static async Task<(HttpContext Context, bool Called)> InvokeAsync(Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        if (contentLength is null)
        {
            context.Request.Headers.TransferEncoding = "chunked";
        }

        context.Response.Body = new MemoryStream();
        var called = false;
        await RequestBodyLimit.InvokeAsync(context, async http =>
        {
            called = true;
            var copy = new MemoryStream();
            await http.Request.Body.CopyToAsync(copy);
            http.Items["length"] = (int)copy.Length;
        });
        return (context, called);
    }

    private static async Task AssertTooLargeAsync(HttpContext context)
    {
        Assert.Equal(413, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        Assert.Equal("""{"message":"413 Request Entity Too Large"}""", await new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEndAsync());
    }

    /// <summary>A body of the given length made up as it is read, counting what was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)'a');
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
