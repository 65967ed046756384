using System.Net;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.Concurrency;

/// <summary>Uniqueness and id allocation under parallel requests through the real HTTP stack.</summary>
[Collection(ConcurrencyCollection.Name)]
public sealed class StatusCheckConcurrencyTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    [Fact]
    public async Task Create_50ParallelWithTheSameName_ExactlyOneWins()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var name = StatusCheckProject.NewName();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, new { name, external_url = StatusCheckProject.NewUrl() })));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        var refused = results.Where(r => r.Status != HttpStatusCode.Created).ToList();
        Assert.Equal(49, refused.Count);
        Assert.All(refused, r => Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"message":["Name has already been taken"]}"""), (r.Status, r.Body!.ToJsonString())));
        var listed = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK);
        Assert.Equal(name, Assert.Single(listed["items"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_200ParallelDistinct_AllCreatedWithDistinctIdsAndListedOnTwoPages()
    {
        var project = await StatusCheckProject.CreateAsync(api);

        var created = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl() })));

        Assert.All(created, r => Assert.True(r.Status == HttpStatusCode.Created, $"{(int)r.Status} {r.Body?.ToJsonString()}"));
        var ids = created.Select(r => r.Body!["id"]!.GetValue<long>()).ToHashSet();
        Assert.Equal(200, ids.Count);

        var listed = new List<long>();
        foreach (var page in new[] { 1, 2 })
        {
            var (status, body, response) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, $"{project.ChecksPath}?per_page=100&page={page}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(("200", "2"), (response.Headers.GetValues("X-Total").Single(), response.Headers.GetValues("X-Total-Pages").Single()));
            Assert.Equal(100, body!.AsArray().Count);
            listed.AddRange(body.AsArray().Select(item => item!["id"]!.GetValue<long>()));
        }

        Assert.Equal(ids.Order(), listed); // every check once, in id order across the pages
    }
}
