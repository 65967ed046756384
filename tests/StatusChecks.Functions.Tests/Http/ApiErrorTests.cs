using System.Net;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class ApiErrorTests
{
    public static TheoryData<DomainError, HttpStatusCode, string> DomainErrors => new()
    {
        { new DomainError.Unauthorized(), HttpStatusCode.Unauthorized, """{"message":"401 Unauthorized"}""" },
        { new DomainError.Forbidden(), HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""" },
        { new DomainError.NotFound("Project"), HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""" },
        { new DomainError.NotFound("User"), HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""" },
        { new DomainError.RecordNotFound(), HttpStatusCode.NotFound, """{"message":"404 Not found"}""" },
        { new DomainError.NotPermitted(), HttpStatusCode.Unauthorized, """{"message":["Not allowed"]}""" },
        { new DomainError.PreconditionFailed(), HttpStatusCode.PreconditionFailed, """{"message":"412 Precondition Failed"}""" },
        {
            new DomainError.RecordInvalid(["External url has already been taken", "Name has already been taken"]), HttpStatusCode.UnprocessableEntity,
            """{"message":["External url has already been taken","Name has already been taken"]}"""
        },
        { new DomainError.MissingParameter("sha"), HttpStatusCode.BadRequest, """{"error":"sha is missing"}""" },
        { new DomainError.InvalidParameter("external_url"), HttpStatusCode.BadRequest, """{"error":"external_url is invalid"}""" },
        {
            DomainError.ValidationFailed.For("name", "has already been taken"), HttpStatusCode.BadRequest,
            """{"message":{"name":["has already been taken"]}}"""
        },
        {
            new DomainError.ValidationFailed(new Dictionary<string, IReadOnlyList<string>>
            {
                ["external_url"] = ["is blocked", "must be http(s)"],
                ["protected_branch_ids"] = ["must belong to the project"],
            }),
            HttpStatusCode.BadRequest,
            """{"message":{"external_url":["is blocked","must be http(s)"],"protected_branch_ids":["must belong to the project"]}}"""
        },
        {
            new DomainError.Conflict("SHA does not match HEAD of source branch: abc"), HttpStatusCode.Conflict,
            """{"message":"SHA does not match HEAD of source branch: abc"}"""
        },
        { new DomainError.NotAllowed(), HttpStatusCode.MethodNotAllowed, """{"message":"405 Method Not Allowed"}""" },
        {
            new DomainError.Unprocessable("External status check must be failed"), HttpStatusCode.UnprocessableEntity,
            """{"message":"External status check must be failed"}"""
        },
    };

    [Theory]
    [MemberData(nameof(DomainErrors))]
    public void From_DomainError_IsGitLabStatusAndBody(DomainError error, HttpStatusCode status, string body)
    {
        Assert.Equal((status, body), Errors.Wire(ApiError.From(error)));
    }

    [Fact]
    public void RouteNotFound_Always_IsGitLabUnknownRouteBody()
    {
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"404 Not Found"}"""), Errors.Wire(ApiError.RouteNotFound));
    }

    [Fact]
    public async Task ErrorAsync_Error_WritesStatusAndBody()
    {
        var request = FakeHttpRequestData.Get("http://localhost/api/v4/projects/1");

        var response = (FakeHttpResponseData)await request.ErrorAsync(ApiError.NotFound("Project"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"404 Project Not Found"}""", response.BodyText);
        Assert.Equal("application/json", response.Header("Content-Type"));
    }
}
