using System.Net;
using System.Text;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class ApiRequestTests
{
    private const string Url = "http://localhost/api/v4/projects/1/external_status_checks";

    private static Task<ApiRequest> Read(FakeHttpRequestData request, params string[] allowed) =>
        ApiRequest.ReadAsync(request, allowed, CancellationToken.None);

    private static Task<ApiRequest> ReadJson(string json, params string[] allowed) => Read(FakeHttpRequestData.Json(json, Url), allowed);

    private static Task<ApiRequest> ReadForm(string form, params string[] allowed) => Read(FakeHttpRequestData.Form(form, Url), allowed);

    private static Task<ApiRequest> ReadQuery(string query, params string[] allowed) => Read(FakeHttpRequestData.Get($"{Url}?{query}"), allowed);

    private static readonly Dictionary<string, string> Aliases = new() { ["protected_branche_ids"] = "protected_branch_ids" };

    private static (HttpStatusCode, string) Invalid(string name) => (HttpStatusCode.BadRequest, $$"""{"error":"{{name}} is invalid"}""");

    private static (HttpStatusCode, string) NotAValidValue(string name) =>
        (HttpStatusCode.BadRequest, $$"""{"error":"{{name}} does not have a valid value"}""");

    // --- sources and merging ---

    [Fact]
    public async Task ReadAsync_QueryString_ReadsParameters()
    {
        var call = await ReadQuery("name=QA&external_url=https%3A%2F%2Fexample.com%2Fhook%3Fa%3D1", "name", "external_url");

        Assert.Equal("QA", call.OptionalString("name"));
        Assert.Equal("https://example.com/hook?a=1", call.OptionalString("external_url"));
    }

    [Fact]
    public async Task ReadAsync_JsonBody_ReadsParameters()
    {
        var call = await ReadJson("""{"name":"QA","external_url":"https://example.com"}""", "name", "external_url");

        Assert.Equal("QA", call.OptionalString("name"));
        Assert.Equal("https://example.com", call.OptionalString("external_url"));
    }

    [Fact]
    public async Task ReadAsync_FormBody_DecodesPercentAndPlus()
    {
        var call = await ReadForm("name=a+b%20c%C3%A9&title=%E2%9C%93", "name", "title");

        Assert.Equal("a b cé", call.OptionalString("name"));
        Assert.Equal("✓", call.OptionalString("title"));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task ReadAsync_JsonContentTypeVariants_ParsesBody(string contentType)
    {
        var call = await Read(FakeHttpRequestData.With(Url, contentType, """{"name":"QA"}"""), "name");

        Assert.Equal("QA", call.OptionalString("name"));
    }

    [Fact]
    public async Task ReadAsync_JsonBodyAndQuery_BodyWins()
    {
        var call = await Read(FakeHttpRequestData.Json("""{"name":"body"}""", $"{Url}?name=query&sha=abc"), "name", "sha");

        Assert.Equal("body", call.OptionalString("name"));
        Assert.Equal("abc", call.OptionalString("sha"));
    }

    [Fact]
    public async Task ReadAsync_FormBodyAndQuery_BodyWins()
    {
        var call = await Read(FakeHttpRequestData.Form("name=body", $"{Url}?name=query"), "name");

        Assert.Equal("body", call.OptionalString("name"));
    }

    [Fact]
    public async Task ReadAsync_JsonBodyWithUtf8Bom_ParsesBody()
    {
        var call = await Read(FakeHttpRequestData.With(Url, "application/json", [0xEF, 0xBB, 0xBF, .. """{"name":"QA"}"""u8]), "name");

        Assert.Equal("QA", call.OptionalString("name"));
    }

    [Fact]
    public async Task ReadAsync_EmptyBodyWithoutContentType_ReadsQueryOnly()
    {
        var call = await Read(new FakeHttpRequestData(new Uri($"{Url}?name=QA"), new MemoryStream()), "name");

        Assert.Equal("QA", call.OptionalString("name"));
    }

    [Fact]
    public async Task ReadAsync_EmptyJsonBody_HasNoParameters()
    {
        var call = await ReadJson("", "name");

        Assert.False(call.Has("name"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("")]
    public async Task ReadAsync_BodyOfOtherContentType_Returns415(string contentType)
    {
        var request = new FakeHttpRequestData(new Uri(Url), new MemoryStream("name=QA"u8.ToArray()));
        if (contentType.Length > 0)
        {
            request.Headers.Add("Content-Type", contentType);
        }

        var error = await Errors.CaughtAsync(() => Read(request, "name"));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, """{"message":"415 Unsupported Media Type"}"""), error);
    }

    [Theory]
    [InlineData("""{"name":""")]
    [InlineData("""{"name":"QA",}""")]
    [InlineData("""{name:"QA"}""")]
    [InlineData("not json")]
    [InlineData("""{"name":"QA"} trailing""")]
    [InlineData("""[{"name":"QA"}]""")]
    [InlineData("\"QA\"")]
    [InlineData("42")]
    [InlineData("{\"name\":\"a\u0001b\"}")] // a raw (unescaped) control character is not JSON
    public async Task ReadAsync_MalformedJsonOrNonObjectRoot_Returns400(string body)
    {
        var error = await Errors.CaughtAsync(() => ReadJson(body, "name"));

        Assert.Equal((HttpStatusCode.BadRequest, """{"message":"400 Bad request - malformed JSON"}"""), error);
    }

    // --- size limit ---

    [Fact]
    public async Task ReadAsync_BodyOfExactly1MiB_IsAccepted()
    {
        var prefix = "{\"name\":\"";
        var body = prefix + new string('a', ApiRequest.MaxBodyBytes - prefix.Length - 2) + "\"}";
        Assert.Equal(ApiRequest.MaxBodyBytes, Encoding.UTF8.GetByteCount(body));

        var call = await ReadJson(body, "name");

        Assert.Equal(ApiRequest.MaxBodyBytes - prefix.Length - 2, call.OptionalString("name")!.Length);
    }

    [Fact]
    public async Task ReadAsync_BodyOf1MiBPlusOneByte_Returns413()
    {
        var prefix = "{\"name\":\"";
        var body = prefix + new string('a', ApiRequest.MaxBodyBytes - prefix.Length - 1) + "\"}";
        Assert.Equal(ApiRequest.MaxBodyBytes + 1, Encoding.UTF8.GetByteCount(body));

        var error = await Errors.CaughtAsync(() => ReadJson(body, "name"));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """{"message":"413 Request Entity Too Large"}"""), error);
    }

    [Fact]
    public async Task ReadAsync_EndlessBody_ReadsAtMostLimitPlusOneByte()
    {
        var body = new EndlessStream();
        var request = new FakeHttpRequestData(new Uri(Url), body);
        request.Headers.Add("Content-Type", "application/json");

        var error = await Errors.CaughtAsync(() => Read(request, "name"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
        Assert.Equal(ApiRequest.MaxBodyBytes + 1, body.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverLimit_Returns413WithoutReading()
    {
        var body = new EndlessStream();
        var request = new FakeHttpRequestData(new Uri(Url), body);
        request.Headers.Add("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Content-Length", (ApiRequest.MaxBodyBytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var error = await Errors.CaughtAsync(() => Read(request, "name"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
        Assert.Equal(0, body.BytesRead);
    }

    // --- allowed parameters ---

    [Theory]
    [InlineData("query")]
    [InlineData("json")]
    [InlineData("form")]
    public async Task ReadAsync_UndeclaredParameter_IsIgnored(string source)
    {
        var call = source switch
        {
            "query" => await ReadQuery("name=QA&colour=red", "name"),
            "json" => await ReadJson("""{"name":"QA","colour":"red"}""", "name"),
            _ => await ReadForm("name=QA&colour=red", "name"),
        };

        Assert.Equal("QA", call.OptionalString("name"));
        Assert.Throws<InvalidOperationException>(() => call.Has("colour")); // not even readable: it was dropped
    }

    [Theory]
    [InlineData("form", "name=QA&colour=a&colour=b&shape[x]=1&list[]=1&list=2")]
    [InlineData("json", """{"name":"QA","protected_branches":[{"id":1}],"order_by":null,"colour":"a","colour":"b"}""")]
    public async Task ReadAsync_UndeclaredParameterOfAnyShape_IsIgnored(string source, string body)
    {
        var call = source == "json" ? await ReadJson(body, "name") : await ReadForm(body, "name");

        Assert.Equal("QA", call.OptionalString("name"));
    }

    [Fact]
    public async Task ReadAsync_UndeclaredParameterBesideBadDeclaredOne_StillRejectsTheDeclaredOne()
    {
        var call = await ReadJson("""{"name":["QA"],"colour":"red"}""", "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Fact]
    public async Task ReadAsync_JsonNullBody_IsAnEmptyBody()
    {
        var call = await ReadJson("null", "name", "sha");

        Assert.False(call.Has("sha"));
        Assert.Null(call.OptionalString("sha"));
    }

    [Fact]
    public async Task ReadAsync_JsonNullBody_KeepsQueryParameters()
    {
        var call = await Read(FakeHttpRequestData.Json("null", Url + "?sha=abc"), "sha");

        Assert.Equal("abc", call.OptionalString("sha"));
    }

    [Theory]
    [InlineData("json", """{"protected_branche_ids":[1,2]}""")]
    [InlineData("form", "protected_branche_ids[]=1&protected_branche_ids[]=2")]
    [InlineData("form", "protected_branche_ids=1,2")]
    public async Task ReadAsync_Alias_ReadsAsTheDeclaredName(string source, string body)
    {
        var request = source == "json" ? FakeHttpRequestData.Json(body, Url) : FakeHttpRequestData.Form(body, Url);

        var call = await ApiRequest.ReadAsync(request, ["protected_branch_ids"], CancellationToken.None, Aliases);

        Assert.Equal([1L, 2L], call.OptionalLongArray("protected_branch_ids"));
    }

    [Fact]
    public async Task ReadAsync_AliasAndDeclaredNameBoth_DeclaredNameWins()
    {
        var request = FakeHttpRequestData.Json("""{"protected_branche_ids":[1],"protected_branch_ids":[2]}""", Url);

        var call = await ApiRequest.ReadAsync(request, ["protected_branch_ids"], CancellationToken.None, Aliases);

        Assert.Equal([2L], call.OptionalLongArray("protected_branch_ids"));
    }

    [Fact]
    public async Task ReadAsync_BadValueUnderAlias_IsInvalidUnderTheDeclaredName()
    {
        var request = FakeHttpRequestData.Json("""{"protected_branche_ids":["x"]}""", Url);

        var call = await ApiRequest.ReadAsync(request, ["protected_branch_ids"], CancellationToken.None, Aliases);

        Assert.Equal(Invalid("protected_branch_ids"), Errors.Caught(() => call.OptionalLongArray("protected_branch_ids")));
    }

    [Fact]
    public async Task ReadAsync_TokenParameters_AreAlwaysAllowed()
    {
        var call = await ReadQuery("private_token=secret&access_token=other");

        Assert.Equal("secret", call.Token);
    }

    [Fact]
    public async Task ReadAsync_PageParametersOnNonList_AreIgnored()
    {
        var call = await ReadQuery("page=abc&per_page=0");

        Assert.Throws<InvalidOperationException>(() => call.Page());
    }

    [Fact]
    public async Task OptionalString_NameNotDeclared_ThrowsProgrammingError()
    {
        var call = await ReadQuery("name=QA", "name");

        Assert.Throws<InvalidOperationException>(() => call.OptionalString("title"));
    }

    [Fact]
    public async Task Has_GivenAbsentAndNull_TellsWhetherSent()
    {
        var call = await ReadJson("""{"shared_secret":null}""", "shared_secret", "name");

        Assert.True(call.Has("shared_secret"));
        Assert.False(call.Has("name"));
        Assert.Null(call.OptionalString("shared_secret"));
    }

    [Fact]
    public async Task RequireAnyOf_NoneSent_Returns400NamingAll()
    {
        var call = await ReadJson("{}", "title", "sha");

        var error = Errors.Caught(() => { call.RequireAnyOf("title", "sha"); return null; });

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"title, sha are missing, at least one parameter must be provided"}"""), error);
    }

    [Theory]
    [InlineData("""{"sha":"abc"}""")]
    [InlineData("""{"title":null}""")]
    public async Task RequireAnyOf_OneSent_DoesNotThrow(string json)
    {
        var call = await ReadJson(json, "title", "sha");

        call.RequireAnyOf("title", "sha");

        Assert.True(call.Has("title") || call.Has("sha"));
    }

    // --- duplicates ---

    [Theory]
    [InlineData("name=a&name=b")]
    [InlineData("name=a&name=a")]
    [InlineData("name=a&name[]=b")]
    public async Task OptionalString_DuplicateInQuery_IsInvalid(string query)
    {
        var call = await ReadQuery(query, "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Fact]
    public async Task OptionalString_DuplicateJsonProperty_IsInvalid()
    {
        var call = await ReadJson("""{"name":"a","name":"b"}""", "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    // --- strings ---

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"a\":\"b\"}")]
    public async Task OptionalString_WrongJsonType_IsInvalid(string json)
    {
        var call = await ReadJson($$"""{"name":{{json}}}""", "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Theory]
    [InlineData("name[]=a")]
    [InlineData("name[key]=a")]
    public async Task OptionalString_ArrayOrHashInForm_IsInvalid(string form)
    {
        var call = await ReadForm(form, "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Theory]
    [InlineData("name=a%01b")]
    [InlineData("name=a%0Ab")]
    [InlineData("name=a%7Fb")]
    [InlineData("name=a%C2%85b")] // U+0085, a C1 control
    [InlineData("name=%FF")] // not UTF-8
    [InlineData("name=%C3")] // truncated UTF-8 sequence
    [InlineData("name=%ED%A0%80")] // an encoded surrogate is not UTF-8
    public async Task OptionalString_ControlCharacterOrInvalidUtf8InForm_IsInvalid(string form)
    {
        var call = await ReadForm(form, "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Theory]
    [InlineData("""{"description":"line 1\r\n\tline 2"}""", "line 1\r\n\tline 2")]
    [InlineData("""{"description":""}""", "")]
    [InlineData("""{"description":null}""", null)]
    public async Task OptionalText_LineBreaksAndTabs_Kept(string json, string? expected)
    {
        var call = await ReadJson(json, "description");

        Assert.Equal(expected, call.OptionalText("description"));
    }

    [Theory]
    [InlineData("""{"description":"a\u0001b"}""")]
    [InlineData("""{"description":"a\u0000b"}""")]
    [InlineData("""{"description":"\ud800"}""")]
    public async Task OptionalText_OtherControlCharacterOrLoneSurrogate_IsInvalid(string json)
    {
        var call = await ReadJson(json, "description");

        Assert.Equal(Invalid("description"), Errors.Caught(() => call.OptionalText("description")));
    }

    [Theory]
    [InlineData("""{"name":"a\u0001b"}""")]
    [InlineData("""{"name":"a\nb"}""")]
    [InlineData("""{"name":"\ud800"}""")] // lone surrogate
    public async Task OptionalString_ControlCharacterOrLoneSurrogateInJson_IsInvalid(string json)
    {
        var call = await ReadJson(json, "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Fact]
    public async Task OptionalString_InvalidUtf8InJson_IsInvalid()
    {
        var request = FakeHttpRequestData.With(Url, "application/json", [.. """{"name":"a"""u8, 0xFF, .. "\"}"u8]);

        var call = await Read(request, "name");

        Assert.Equal(Invalid("name"), Errors.Caught(() => call.OptionalString("name")));
    }

    [Fact]
    public async Task OptionalString_Unicode_IsKeptExactly()
    {
        var call = await ReadJson("""{"name":"Café ✓ 😀 \u00e9"}""", "name");

        Assert.Equal("Café ✓ 😀 é", call.OptionalString("name"));
    }

    [Fact]
    public async Task OptionalString_EmptyFormValue_IsEmptyNotNull()
    {
        var call = await ReadForm("shared_secret=", "shared_secret");

        Assert.Equal(string.Empty, call.OptionalString("shared_secret"));
    }

    // --- longs ---

    [Theory]
    [InlineData("\"1\"", 1L)]
    [InlineData("42", 42L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    public async Task OptionalLong_PositiveInteger_IsParsed(string json, long expected)
    {
        var call = await ReadJson($$"""{"id":{{json}}}""", "id");

        Assert.Equal(expected, call.OptionalLong("id"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("\"abc\"")]
    [InlineData("\" 1\"")]
    [InlineData("\"+1\"")]
    [InlineData("\"0x10\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    public async Task OptionalLong_NotAPositiveInteger_IsInvalid(string json)
    {
        var call = await ReadJson($$"""{"id":{{json}}}""", "id");

        Assert.Equal(Invalid("id"), Errors.Caught(() => call.OptionalLong("id")));
    }

    [Fact]
    public async Task OptionalLong_EmptyFormValue_IsNull()
    {
        var call = await ReadForm("user_id=", "user_id");

        Assert.Null(call.OptionalLong("user_id"));
    }

    // --- ints ---

    [Theory]
    [InlineData("access_level=30", 30)]
    [InlineData("access_level=10", 10)]
    [InlineData("access_level=50", 50)]
    public async Task OptionalInt_InRange_IsParsed(string query, int expected)
    {
        var call = await ReadQuery(query, "access_level");

        Assert.Equal(expected, call.OptionalInt("access_level", 10, 50));
    }

    [Theory]
    [InlineData("access_level=9")]
    [InlineData("access_level=51")]
    [InlineData("access_level=-30")]
    public async Task OptionalInt_OutOfRange_DoesNotHaveAValidValue(string query)
    {
        var call = await ReadQuery(query, "access_level");

        Assert.Equal(NotAValidValue("access_level"), Errors.Caught(() => call.OptionalInt("access_level", 10, 50)));
    }

    [Theory]
    [InlineData("access_level=abc")]
    [InlineData("access_level=3.5")]
    [InlineData("access_level=99999999999")]
    public async Task OptionalInt_NotAnInteger_IsInvalid(string query)
    {
        var call = await ReadQuery(query, "access_level");

        Assert.Equal(Invalid("access_level"), Errors.Caught(() => call.OptionalInt("access_level", 10, 50)));
    }

    // --- bools ---

    [Theory]
    [InlineData("true")]
    [InlineData("\"true\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("\"yes\"")]
    [InlineData("\"on\"")]
    [InlineData("\"t\"")]
    [InlineData("\"TRUE\"")]
    public async Task OptionalBool_GrapeTrueValues_AreTrue(string json)
    {
        var call = await ReadJson($$"""{"flag":{{json}}}""", "flag");

        Assert.True(call.OptionalBool("flag"));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("\"false\"")]
    [InlineData("\"0\"")]
    [InlineData("0")]
    [InlineData("\"no\"")]
    [InlineData("\"off\"")]
    [InlineData("\"F\"")]
    public async Task OptionalBool_GrapeFalseValues_AreFalse(string json)
    {
        var call = await ReadJson($$"""{"flag":{{json}}}""", "flag");

        Assert.False(call.OptionalBool("flag"));
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("\"tRuE\"")]
    [InlineData("2")]
    [InlineData("1.0")]
    [InlineData("[true]")]
    public async Task OptionalBool_OtherValues_AreInvalid(string json)
    {
        var call = await ReadJson($$"""{"flag":{{json}}}""", "flag");

        Assert.Equal(Invalid("flag"), Errors.Caught(() => call.OptionalBool("flag")));
    }

    [Fact]
    public async Task OptionalBool_FormValue_IsParsed()
    {
        var call = await ReadForm("only_allow_merge_if_all_status_checks_passed=true", "only_allow_merge_if_all_status_checks_passed");

        Assert.True(call.OptionalBool("only_allow_merge_if_all_status_checks_passed"));
    }

    // --- dates ---

    [Fact]
    public async Task OptionalDate_IsoDate_IsParsed()
    {
        var call = await ReadQuery("expires_at=2026-11-25", "expires_at");

        Assert.Equal(new DateOnly(2026, 11, 25), call.OptionalDate("expires_at"));
    }

    [Theory]
    [InlineData("\"2026-02-30\"")]
    [InlineData("\"2026-1-5\"")]
    [InlineData("\"2026-11-25T00:00:00Z\"")]
    [InlineData("\"25/11/2026\"")]
    [InlineData("20261125")]
    public async Task OptionalDate_NotYyyyMmDd_IsInvalid(string json)
    {
        var call = await ReadJson($$"""{"expires_at":{{json}}}""", "expires_at");

        Assert.Equal(Invalid("expires_at"), Errors.Caught(() => call.OptionalDate("expires_at")));
    }

    // --- enums ---

    [Fact]
    public async Task OptionalEnum_AllowedValue_IsReturned()
    {
        var call = await ReadForm("status=failed", "status");

        Assert.Equal("failed", call.OptionalEnum("status", "passed", "failed", "approved"));
    }

    [Theory]
    [InlineData("\"Passed\"")]
    [InlineData("\"unknown\"")]
    public async Task OptionalEnum_OtherString_DoesNotHaveAValidValue(string json)
    {
        var call = await ReadJson($$"""{"status":{{json}}}""", "status");

        Assert.Equal(NotAValidValue("status"), Errors.Caught(() => call.OptionalEnum("status", "passed", "failed")));
    }

    [Fact]
    public async Task OptionalEnum_NotAString_IsInvalid()
    {
        var call = await ReadJson("""{"status":1}""", "status");

        Assert.Equal(Invalid("status"), Errors.Caught(() => call.OptionalEnum("status", "passed", "failed")));
    }

    // --- arrays ---

    [Theory]
    [InlineData("form", "protected_branch_ids[]=1&protected_branch_ids[]=2")]
    [InlineData("form", "protected_branch_ids%5B%5D=1&protected_branch_ids%5B%5D=2")]
    [InlineData("form", "protected_branch_ids=1,2")]
    [InlineData("form", "protected_branch_ids=1%2C%202")]
    [InlineData("form", "protected_branch_ids[]=1,2")]
    [InlineData("query", "protected_branch_ids[]=1&protected_branch_ids[]=2")]
    [InlineData("json", """{"protected_branch_ids":[1,2]}""")]
    [InlineData("json", """{"protected_branch_ids":["1","2"]}""")]
    [InlineData("json", """{"protected_branch_ids":"1,2"}""")]
    public async Task OptionalLongArray_AcceptedShapes_AreParsed(string source, string input)
    {
        var call = await ReadSource(source, input, "protected_branch_ids");

        Assert.Equal([1L, 2L], call.OptionalLongArray("protected_branch_ids"));
    }

    [Theory]
    [InlineData("form", "protected_branch_ids=")]
    [InlineData("form", "protected_branch_ids[]=")]
    [InlineData("json", """{"protected_branch_ids":[]}""")]
    [InlineData("json", """{"protected_branch_ids":""}""")]
    public async Task OptionalLongArray_Empty_IsEmptyList(string source, string input)
    {
        var call = await ReadSource(source, input, "protected_branch_ids");

        Assert.Equal([], call.OptionalLongArray("protected_branch_ids"));
    }

    [Fact]
    public async Task OptionalLongArray_AbsentOrNull_IsNull()
    {
        Assert.Null((await ReadJson("{}", "protected_branch_ids")).OptionalLongArray("protected_branch_ids"));
        Assert.Null((await ReadJson("""{"protected_branch_ids":null}""", "protected_branch_ids")).OptionalLongArray("protected_branch_ids"));
    }

    [Theory]
    [InlineData("form", "protected_branch_ids[]=a")]
    [InlineData("form", "protected_branch_ids[]=0")]
    [InlineData("form", "protected_branch_ids=1,,2")]
    [InlineData("form", "protected_branch_ids=1&protected_branch_ids[]=2")]
    [InlineData("form", "protected_branch_ids[x]=1")]
    [InlineData("form", "protected_branch_ids[]=%FF")]
    [InlineData("json", """{"protected_branch_ids":[1,"x"]}""")]
    [InlineData("json", """{"protected_branch_ids":[1.5]}""")]
    [InlineData("json", """{"protected_branch_ids":[null]}""")]
    [InlineData("json", """{"protected_branch_ids":[[1]]}""")]
    [InlineData("json", """{"protected_branch_ids":{"a":1}}""")]
    [InlineData("json", """{"protected_branch_ids":5}""")]
    [InlineData("json", """{"protected_branch_ids":true}""")]
    public async Task OptionalLongArray_BadItems_IsInvalid(string source, string input)
    {
        var call = await ReadSource(source, input, "protected_branch_ids");

        Assert.Equal(Invalid("protected_branch_ids"), Errors.Caught(() => call.OptionalLongArray("protected_branch_ids")));
    }

    [Theory]
    [InlineData("form", "scopes[]=api&scopes[]=read_api")]
    [InlineData("form", "scopes=api,read_api")]
    [InlineData("json", """{"scopes":["api","read_api"]}""")]
    public async Task OptionalStringArray_AcceptedShapes_AreParsed(string source, string input)
    {
        var call = await ReadSource(source, input, "scopes");

        Assert.Equal(["api", "read_api"], call.OptionalStringArray("scopes"));
    }

    [Theory]
    [InlineData("""{"scopes":[1]}""")]
    [InlineData("""{"scopes":["api\u0000"]}""")]
    public async Task OptionalStringArray_NonTextItem_IsInvalid(string json)
    {
        var call = await ReadJson(json, "scopes");

        Assert.Equal(Invalid("scopes"), Errors.Caught(() => call.OptionalStringArray("scopes")));
    }

    // --- pages ---

    [Theory]
    [InlineData("", 1, 20)]
    [InlineData("page=3&per_page=50", 3, 50)]
    [InlineData("per_page=100", 1, 100)]
    [InlineData("per_page=1000", 1, 100)]
    [InlineData("page=0", 1, 20)]
    [InlineData("page=-2&per_page=-5", 1, 20)]
    public async Task Page_Values_FollowGitLab(string query, int page, int perPage)
    {
        var call = await ApiRequest.ReadListAsync(FakeHttpRequestData.Get($"{Url}?{query}"), [], CancellationToken.None);

        var result = call.Page();

        Assert.Equal((page, perPage), (result.Page, result.PerPage));
    }

    [Theory]
    [InlineData("page=abc", "page")]
    [InlineData("page=1.5", "page")]
    [InlineData("per_page=x", "per_page")]
    public async Task Page_NotAnInteger_IsInvalid(string query, string name)
    {
        var call = await ApiRequest.ReadListAsync(FakeHttpRequestData.Get($"{Url}?{query}"), [], CancellationToken.None);

        Assert.Equal(Invalid(name), Errors.Caught(() => call.Page()));
    }

    [Fact]
    public async Task Page_PerPageZero_DoesNotHaveAValidValue()
    {
        var call = await ApiRequest.ReadListAsync(FakeHttpRequestData.Get($"{Url}?per_page=0"), [], CancellationToken.None);

        Assert.Equal(NotAValidValue("per_page"), Errors.Caught(() => call.Page()));
    }

    [Fact]
    public async Task Page_OnNonListRequest_ThrowsProgrammingError()
    {
        var call = await ReadQuery("");

        Assert.Throws<InvalidOperationException>(() => call.Page());
    }

    private static Task<ApiRequest> ReadSource(string source, string input, params string[] allowed) => source switch
    {
        "json" => ReadJson(input, allowed),
        "query" => ReadQuery(input, allowed),
        _ => ReadForm(input, allowed),
    };

    /// <summary>A body that never ends, counting what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'a', offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
