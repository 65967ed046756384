using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;
using StatusChecks.Testing;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>Publish, fan-out and delivery over real tables (Azurite), with the queues pumped by hand.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationPipelineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OpenMergeRequest_OneCheck_OneEventOneDeliveryOneSuccess()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();

        var mr = await pipeline.OpenAsync(project);

        var published = Assert.Single(pipeline.Queues.Sent);
        Assert.Equal(NotificationQueueNames.Events, published.Queue);
        Assert.Equal(MergeRequestEventKind.Opened, NotificationMessages.DecodeEvent(published.Text).Kind);
        await pipeline.PumpAsync();
        var (request, body) = Assert.Single(pipeline.Network.Received);
        Assert.Equal(new Uri("https://ci.example/hook"), request.RequestUri);
        var payload = JsonNode.Parse(body)!;
        Assert.Equal((mr.Id, "open", checkId), ((long)payload["object_attributes"]!["id"]!, (string?)payload["object_attributes"]!["action"], (long)payload["external_approval_rule"]!["id"]!));
        var attempt = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
        Assert.Equal((1, "event", DeliveryStatuses.Succeeded, (int?)200, (string?)null), (attempt.Attempt, attempt.Trigger, attempt.Status, attempt.ResponseCode, attempt.Error));
        Assert.Equal(request.Headers.GetValues("X-Gitlab-Event-UUID").Single(), attempt.EventId.ToString());
    }

    [Fact]
    public async Task RedeliveredMessages_AfterSuccess_NothingSentAgain()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        // The host may hand out any message twice: replay everything that was ever queued.
        foreach (var message in pipeline.Queues.Sent.ToList())
        {
            await pipeline.Queues.SendAsync(message.Queue, message.Text, null, CancellationToken.None);
        }

        await pipeline.PumpAsync();

        Assert.Single(pipeline.Network.Received);
        Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
    }

    [Fact]
    public async Task FailingTwiceThenOk_RetriedWithScheduledDelays_ExactlyOneSuccess()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        pipeline.Network.Answer(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK);

        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        Assert.Equal(3, pipeline.Network.Received.Count);
        // The first attempt is made by the fan-out itself; only the retries are queue messages.
        var retries = pipeline.Queues.Sent.Where(m => m.Queue == NotificationQueueNames.Deliveries).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], retries.Select(m => m.Delay));
        var log = await pipeline.LogAsync(project, mr.Iid, checkId);
        Assert.Equal(
            [(3, "retry", DeliveryStatuses.Succeeded, (int?)200), (2, "retry", DeliveryStatuses.Retrying, 500), (1, "event", DeliveryStatuses.Retrying, 500)],
            log.Select(a => (a.Attempt, a.Trigger, a.Status, a.ResponseCode)));
        Assert.Single(log.Select(a => a.Id).Distinct());
    }

    [Fact]
    public async Task AlwaysFailing_LastAttemptOfTheSchedule_RecordedFailedAndNoMoreMessages()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        pipeline.Network.Answer(HttpStatusCode.BadGateway);

        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        Assert.Equal(3, pipeline.Network.Received.Count); // the first attempt and the schedule's two retries
        var log = await pipeline.LogAsync(project, mr.Iid, checkId);
        Assert.Equal([DeliveryStatuses.Failed, DeliveryStatuses.Retrying, DeliveryStatuses.Retrying], log.Select(a => a.Status));
        Assert.Equal("HTTP 502 Bad Gateway", log[0].Error);
    }

    [Fact]
    public async Task GuardRefusal_RecordedFailedWithTheReasonAndNotRetried()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        pipeline.Network.Then(() => throw new HttpRequestException("connect", new DeliveryRefusedException("Refused: ci.example resolves to 10.0.0.5, a private address")));

        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        var attempt = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
        Assert.Equal((DeliveryStatuses.Failed, "Refused: ci.example resolves to 10.0.0.5, a private address"), (attempt.Status, attempt.Error));
    }

    [Fact]
    public async Task SharedSecret_SignaturesVerifyWithThePlainSecret()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, _) = await pipeline.ProjectWithCheckAsync(secret: "s3cret");

        await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        var (request, body) = Assert.Single(pipeline.Network.Received);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret"));
        Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash(body)), request.Headers.GetValues("X-Gitlab-Signature").Single());
        var timestamp = request.Headers.GetValues("X-StatusChecks-Timestamp").Single();
        Assert.Equal(
            "v1=" + Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.UTF8.GetBytes(timestamp + "."), .. body])),
            request.Headers.GetValues("X-StatusChecks-Signature").Single());
    }

    [Fact]
    public async Task ManyChecks_OneDeliveryEachWithItsOwnId_EvenWhenTheEventMessageComesTwice()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = ProjectRef.ById((await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Many", null))).Id);
        var checkIds = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            checkIds.Add((await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, project, new NewStatusCheck($"c{i}", $"https://c{i}.example/", null, []))).Id);
        }

        var mr = await pipeline.OpenAsync(project);
        var opened = Assert.Single(pipeline.Queues.Sent);
        await pipeline.Queues.SendAsync(opened.Queue, opened.Text, null, CancellationToken.None);
        await pipeline.PumpAsync();

        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"https://c{i}.example/").Order(),
            pipeline.Network.Received.Select(r => r.Request.RequestUri!.ToString()).Order());
        var deliveryIds = new List<long>();
        foreach (var checkId in checkIds)
        {
            deliveryIds.Add(Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId)).Id);
        }

        Assert.Equal(20, deliveryIds.Distinct().Count());
    }

    [Fact]
    public async Task ChecksScopedToOtherBranches_NoDelivery()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Scoped", null));
        var branch = await pipeline.Get<IProtectedBranchService>().CreateAsync(Caller.Admin, ProjectRef.ById(project.Id), "release/*");
        var scoped = await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("rel", "https://rel.example/", null, [branch.Id]));
        var everywhere = await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("all", "https://all.example/", null, []));

        var mr = await pipeline.OpenAsync(ProjectRef.ById(project.Id), target: "main");
        await pipeline.PumpAsync();

        Assert.Equal([new Uri("https://all.example/")], pipeline.Network.Received.Select(r => r.Request.RequestUri));
        Assert.Empty(await pipeline.LogAsync(ProjectRef.ById(project.Id), mr.Iid, scoped.Id));
        Assert.Single(await pipeline.LogAsync(ProjectRef.ById(project.Id), mr.Iid, everywhere.Id));
    }

    [Fact]
    public async Task NewCommit_NotifiesAgainWithOldrev_ClosedMergeRequestNotNotified()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mergeRequests = pipeline.Get<IMergeRequestService>();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        await mergeRequests.UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: Sha.B));
        await pipeline.PumpAsync();
        await mergeRequests.UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(StateEvent: "close"));
        await mergeRequests.UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: "cccccccccccccccccccccccccccccccccccccccc"));
        await pipeline.PumpAsync();

        Assert.Equal(2, pipeline.Network.Received.Count);
        var update = JsonNode.Parse(pipeline.Network.Received[1].Body)!["object_attributes"]!;
        Assert.Equal(("update", Sha.B, Sha.A), ((string?)update["action"], (string?)update["last_commit"]!["id"], (string?)update["oldrev"]));
        Assert.Equal(2, (await pipeline.LogAsync(project, mr.Iid, checkId)).Select(a => a.EventId).Distinct().Count());
    }

    [Fact]
    public async Task EventOfAWriteThatWasOvertaken_Dropped()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, _) = await pipeline.ProjectWithCheckAsync();
        var mergeRequests = pipeline.Get<IMergeRequestService>();
        var mr = await pipeline.OpenAsync(project);
        await mergeRequests.UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: Sha.B));

        await pipeline.PumpAsync(); // the Opened event is processed only now, after the new commit

        var body = JsonNode.Parse(Assert.Single(pipeline.Network.Received).Body)!;
        Assert.Equal(Sha.B, (string?)body["object_attributes"]!["last_commit"]!["id"]);
    }

    [Fact]
    public async Task PublishFails_NothingStoredSoNothingIsAcknowledgedWithoutItsNotification()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, _) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        pipeline.Queues.Failure = new RequestFailedException(503, "queue down");

        await Assert.ThrowsAsync<RequestFailedException>(() => pipeline.OpenAsync(project));
        await Assert.ThrowsAsync<RequestFailedException>(() =>
            pipeline.Get<IMergeRequestService>().UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: Sha.B)));

        Assert.Equal(
            new DomainError.RecordNotFound(),
            (await Assert.ThrowsAsync<DomainException>(() => pipeline.Get<IMergeRequestService>().GetAsync(Caller.Admin, project, 2))).Error);
        Assert.Equal(Sha.A, (await pipeline.Get<IMergeRequestService>().GetAsync(Caller.Admin, project, mr.Iid)).Sha);
    }

    [Fact]
    public async Task EventWhoseWriteNeverLands_LooksAgainWithGrowingDelaysThenDropped()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, _) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();
        var opened = NotificationMessages.DecodeEvent(pipeline.Queues.Sent[0].Text);
        var lost = opened with { Kind = MergeRequestEventKind.Updated, Revision = 2, Sha = Sha.B, EventId = EventIds.ForRevision(mr.Id, 2), OccurredAt = pipeline.Time.GetUtcNow() };
        var fanOut = pipeline.Get<INotificationFanOut>();

        await fanOut.HandleAsync(lost, CancellationToken.None);
        pipeline.Time.Advance(TimeSpan.FromSeconds(10));
        await fanOut.HandleAsync(lost, CancellationToken.None);
        pipeline.Time.Advance(TimeSpan.FromSeconds(21));
        await fanOut.HandleAsync(lost, CancellationToken.None);

        var looks = pipeline.Queues.Sent.Where(m => m.Queue == NotificationQueueNames.Events).Skip(1).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)], looks.Select(m => m.Delay));
        Assert.Single(pipeline.Network.Received);
    }

    [Fact]
    public async Task RetryOfAFailedCheck_SendsAgainAsANewEvent()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();
        await pipeline.Get<IStatusCheckService>().RespondAsync(Caller.Admin, project, mr.Iid, new NewStatusCheckResponse(Sha.A, checkId, CheckStatuses.Failed));

        await pipeline.Get<IStatusCheckService>().RetryAsync(Caller.Admin, project, mr.Iid, checkId);
        await pipeline.PumpAsync();

        Assert.Equal(2, pipeline.Network.Received.Count);
        Assert.Equal(2, (await pipeline.LogAsync(project, mr.Iid, checkId)).Select(a => a.EventId).Distinct().Count());
    }

    [Fact]
    public async Task CheckCreatedOnAnOpenMergeRequest_ThatMergeRequestIsNotified()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Later", null));
        var mr = await pipeline.OpenAsync(ProjectRef.ById(project.Id));
        await pipeline.PumpAsync();

        var check = await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("late", "https://late.example/", null, []));
        await pipeline.PumpAsync();

        Assert.Equal(new Uri("https://late.example/"), Assert.Single(pipeline.Network.Received).Request.RequestUri);
        Assert.Equal("update", Assert.Single(await pipeline.LogAsync(ProjectRef.ById(project.Id), mr.Iid, check.Id)).Action);
    }

    [Fact]
    public async Task Redeliver_SendsAgainAsANewAttemptOfTheSameDelivery()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();
        var delivery = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));

        await pipeline.Get<IDeliveryLogService>().RedeliverAsync(Caller.Admin, project, mr.Iid, checkId, delivery.Id);
        await pipeline.PumpAsync();

        Assert.Equal(2, pipeline.Network.Received.Count);
        Assert.Equal(pipeline.Network.Received[0].Body, pipeline.Network.Received[1].Body);
        var log = await pipeline.LogAsync(project, mr.Iid, checkId);
        Assert.Equal([(2, "redeliver"), (1, "event")], log.Select(a => (a.Attempt, a.Trigger)));
        Assert.All(log, a => Assert.Equal(delivery.Id, a.Id));
    }

    [Fact]
    public async Task DeliveryLog_TotalCountsEveryAttemptOfEveryDeliveryAndPagesNewestFirst()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        pipeline.Network.Answer(HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK);
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();
        await pipeline.Get<IMergeRequestService>().UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: Sha.B));
        await pipeline.PumpAsync();
        var opened = (await pipeline.LogAsync(project, mr.Iid, checkId))[^1];
        await pipeline.Get<IDeliveryLogService>().RedeliverAsync(Caller.Admin, project, mr.Iid, checkId, opened.Id);
        await pipeline.PumpAsync();

        var log = pipeline.Get<IDeliveryLogService>();
        var first = await log.ListAsync(Caller.Admin, project, mr.Iid, checkId, PageRequest.Create(1, 3));
        var second = await log.ListAsync(Caller.Admin, project, mr.Iid, checkId, PageRequest.Create(2, 3));

        Assert.Equal((4L, 4L), (first.Total, second.Total));
        var updated = first.Items[1].Id;
        Assert.NotEqual(opened.Id, updated);
        Assert.Equal(
            [(updated, 2, "retry"), (updated, 1, "event"), (opened.Id, 2, "redeliver"), (opened.Id, 1, "event")],
            first.Items.Concat(second.Items).Select(a => (a.Id, a.Attempt, a.Trigger)));
    }

    [Theory]
    [InlineData(99L, 0L, "Delivery")]
    [InlineData(0L, 99L, "External Status Check")]
    public async Task Redeliver_UnknownIds_NotFound(long deliveryId, long otherCheckId, string thing)
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            pipeline.Get<IDeliveryLogService>().RedeliverAsync(Caller.Admin, project, mr.Iid, otherCheckId == 0 ? checkId : otherCheckId, deliveryId == 0 ? 1 : deliveryId));

        Assert.Equal(new DomainError.NotFound(thing), error.Error);
    }

    [Fact]
    public async Task ConcurrentCopiesOfOneAttempt_OnlyOneSends()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();
        var delivery = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
        var release = new TaskCompletionSource();
        pipeline.Network.Then(() =>
        {
            release.Task.Wait(TimeSpan.FromSeconds(10));
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        await pipeline.Get<IDeliveryLogService>().RedeliverAsync(Caller.Admin, project, mr.Iid, checkId, delivery.Id);
        Assert.True(pipeline.Queues.TryTake(out var attempt));
        var processor = pipeline.Get<IDeliveryProcessor>();
        var message = NotificationMessages.DecodeDelivery(attempt.Text);

        var first = Task.Run(() => processor.HandleAsync(message, CancellationToken.None));
        await WaitUntilAsync(() => pipeline.Network.Received.Count == 2);
        await processor.HandleAsync(message, CancellationToken.None);
        release.SetResult();
        await first;

        Assert.Equal(2, pipeline.Network.Received.Count);
        var deferred = Assert.Single(pipeline.Queues.Sent, m => m.Queue == NotificationQueueNames.Deliveries && m.Delay is not null);
        Assert.InRange(deferred.Delay!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(41));
        Assert.Equal([2, 1], (await pipeline.LogAsync(project, mr.Iid, checkId)).Select(a => a.Attempt));
    }

    [Fact]
    public async Task ManyChecksAllAnswering_DeliveredByTheFanOutItself_NoDeliveryMessageAtAll()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = ProjectRef.ById((await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Inline", null))).Id);
        var checkIds = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            checkIds.Add((await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, project, new NewStatusCheck($"c{i}", $"https://c{i}.example/", null, []))).Id);
        }

        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        Assert.Equal(60, pipeline.Network.Received.Count);
        Assert.DoesNotContain(pipeline.Queues.Sent, m => m.Queue == NotificationQueueNames.Deliveries);
        foreach (var checkId in checkIds)
        {
            var attempt = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
            Assert.Equal((1, "event", DeliveryStatuses.Succeeded), (attempt.Attempt, attempt.Trigger, attempt.Status));
        }
    }

    [Fact]
    public async Task DeliveryFinishingWhileTheFinishedOnesAreRecorded_StillRecorded()
    {
        // CI once lost such a delivery: the fan-out looked at its sends twice, before and after completing the
        // finished ones, and a send that ended in between was in neither group (not recorded, no watchdog).
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = ProjectRef.ById((await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Race", null))).Id);
        var statusChecks = pipeline.Get<IStatusCheckService>();
        await statusChecks.CreateAsync(Caller.Admin, project, new NewStatusCheck("failing", "https://failing.example/", null, []));
        var slowCheck = (await statusChecks.CreateAsync(Caller.Admin, project, new NewStatusCheck("slow", "https://slow.example/", null, []))).Id;
        var mr = await pipeline.OpenAsync(project);
        Assert.True(pipeline.Queues.TryTake(out var opened));
        var slowAnswer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.Network.Handler = request => request.RequestUri!.Host == "slow.example"
            ? slowAnswer.Task
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var recording = new TaskCompletionSource();
        pipeline.Queues.OnSent = async message =>
        {
            // The failing delivery's retry is queued while the fan-out completes it: the slow one answers then.
            if (message.Queue == NotificationQueueNames.Deliveries && recording.TrySetResult())
            {
                slowAnswer.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
                await Task.Delay(TimeSpan.FromMilliseconds(300)); // its send ends before the fan-out goes on
            }
        };

        var handling = pipeline.Get<INotificationFanOut>().HandleAsync(NotificationMessages.DecodeEvent(opened.Text), CancellationToken.None);
        while (!recording.Task.IsCompleted && !handling.IsCompleted)
        {
            pipeline.Time.Advance(TimeSpan.FromMilliseconds(500)); // the inline wait runs on this clock
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        await handling;
        var attempts = await Eventually.GetAsync(
            async () => await pipeline.LogAsync(project, mr.Iid, slowCheck) is { Count: > 0 } log ? log : null, TimeSpan.FromSeconds(10), "the slow delivery's record");
        var attempt = Assert.Single(attempts);
        Assert.Equal((1, DeliveryStatuses.Succeeded), (attempt.Attempt, attempt.Status));
    }

    [Fact]
    public async Task ManyChecks_SharedPartOfTheBodyStoredOncePerTransaction_RetriesSendTheSameBytes()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var project = ProjectRef.ById((await pipeline.Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Shared", null))).Id);
        for (var i = 0; i < 60; i++)
        {
            await pipeline.Get<IStatusCheckService>().CreateAsync(Caller.Admin, project, new NewStatusCheck($"c{i}", $"https://c{i}.example/", null, []));
        }

        // Each URL's first request fails, its second succeeds.
        pipeline.Network.Handler = request => Task.FromResult(new HttpResponseMessage(
            pipeline.Network.Received.Count(r => r.Request.RequestUri == request.RequestUri) > 1 ? HttpStatusCode.OK : HttpStatusCode.BadGateway));
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync();

        // 60 deliveries (120 actions) take two transactions, each with one copy of the shared part.
        var table = pipeline.Get<TableServiceClient>().GetTableClient(pipeline.TableName(TableDeliveryStore.TableName));
        var rows = await table.QueryAsync<TableEntity>($"PartitionKey eq '{project.Id}-{mr.Iid}'").ToListAsync();
        Assert.Equal(2, rows.Count(row => row.RowKey.StartsWith("payload|", StringComparison.Ordinal)));
        var deliveryRows = rows.Where(row => row.RowKey.StartsWith("delivery|", StringComparison.Ordinal)).ToList();
        Assert.Equal(60, deliveryRows.Count);
        Assert.All(deliveryRows, row => Assert.False(row.ContainsKey("PayloadBytes00")));

        // Every check got two attempts: the fan-out's (502) and the queued retry, which reads the body back.
        var bodies = pipeline.Network.Received.GroupBy(r => r.Request.RequestUri).ToList();
        Assert.Equal(60, bodies.Count);
        Assert.All(bodies, attempts =>
        {
            Assert.Equal(2, attempts.Count());
            Assert.Equal(attempts.First().Body, attempts.Last().Body);
            var rule = JsonNode.Parse(attempts.First().Body)!["external_approval_rule"]!;
            Assert.Equal(attempts.Key!.AbsoluteUri, (string?)rule["external_url"]);
        });
    }

    [Fact]
    public async Task FanOutDiesAfterSendingBeforeRecording_RedeliveredEventHandsTheDeliveryToTheQueue_RecordedOnce()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mr = await pipeline.OpenAsync(project);
        Assert.True(pipeline.Queues.TryTake(out var opened));
        using var crash = new CancellationTokenSource();
        pipeline.Network.Then(() =>
        {
            crash.Cancel(); // the invocation is stopped once the request went out: nothing gets recorded
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var fanOut = pipeline.Get<INotificationFanOut>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fanOut.HandleAsync(NotificationMessages.DecodeEvent(opened.Text), crash.Token));
        Assert.Empty(await pipeline.LogAsync(project, mr.Iid, checkId));
        pipeline.Network.Answer(HttpStatusCode.OK);

        // The host hands the event message out again; the earlier claim has ended by the time its watchdog is due.
        await fanOut.HandleAsync(NotificationMessages.DecodeEvent(opened.Text), CancellationToken.None);
        var handedOver = Assert.Single(pipeline.Queues.Sent, m => m.Queue == NotificationQueueNames.Deliveries);
        Assert.InRange(handedOver.Delay!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(41));
        pipeline.Time.Advance(handedOver.Delay.Value);
        await pipeline.PumpAsync();

        Assert.Equal(2, pipeline.Network.Received.Count); // at least once: the first send was never recorded
        var attempt = Assert.Single(await pipeline.LogAsync(project, mr.Iid, checkId));
        Assert.Equal((1, "event", DeliveryStatuses.Succeeded), (attempt.Attempt, attempt.Trigger, attempt.Status));
        await fanOut.HandleAsync(NotificationMessages.DecodeEvent(opened.Text), CancellationToken.None);
        await pipeline.PumpAsync();
        Assert.Equal(2, pipeline.Network.Received.Count); // recorded: never sent again
    }

    [Fact]
    public async Task UrlFailingFourTimes_TemporarilyDisabled_DeliveryWaitsWithoutUsingItsRetries_LogSaysSo_SentWhenItComesBack()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        pipeline.Network.Answer(HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var mr = await pipeline.OpenAsync(project);
        await pipeline.PumpAsync(); // three failures: the attempt and its two retries; the URL is not disabled yet
        await pipeline.Get<IMergeRequestService>().UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Sha: Sha.B));
        Assert.True(pipeline.Queues.TryTake(out var updated));

        await pipeline.Get<INotificationFanOut>().HandleAsync(NotificationMessages.DecodeEvent(updated.Text), CancellationToken.None);
        Assert.True(pipeline.Queues.TryTake(out var retry)); // the fourth failure disabled the URL for a minute
        await pipeline.Get<IDeliveryProcessor>().HandleAsync(NotificationMessages.DecodeDelivery(retry.Text), CancellationToken.None);

        Assert.Equal(4, pipeline.Network.Received.Count);
        Assert.True(pipeline.Queues.TryTake(out var waiting));
        Assert.InRange(waiting.Delay!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
        var log = await pipeline.LogAsync(project, mr.Iid, checkId);
        Assert.Equal((2, DeliveryStatuses.Retrying, (int?)null), (log[0].Attempt, log[0].Status, log[0].ResponseCode));
        Assert.StartsWith("Not sent: the URL is temporarily disabled until 2026-11-25T10:01:00.000Z after 4 consecutive failures", log[0].Error, StringComparison.Ordinal);

        pipeline.Time.Advance(waiting.Delay.Value);
        await pipeline.Get<IDeliveryProcessor>().HandleAsync(NotificationMessages.DecodeDelivery(waiting.Text), CancellationToken.None);

        Assert.Equal(5, pipeline.Network.Received.Count);
        var done = await pipeline.LogAsync(project, mr.Iid, checkId);
        Assert.Equal((3, "retry", DeliveryStatuses.Succeeded), (done[0].Attempt, done[0].Trigger, done[0].Status));
        Assert.False(pipeline.Queues.TryTake(out _));
    }

    [Fact]
    public async Task LargestDescriptions_WorstCaseEscaping_StoredAndDeliveredWhole()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, checkId) = await pipeline.ProjectWithCheckAsync();
        var mergeRequests = pipeline.Get<IMergeRequestService>();
        var first = WorstCaseDescription('<');
        var second = WorstCaseDescription('>');
        var mr = await mergeRequests.CreateAsync(Caller.Admin, project, new NewMergeRequest("feature", "main", new string('<', 255), Sha.A, first));
        await pipeline.PumpAsync();

        var updated = await mergeRequests.UpdateAsync(Caller.Admin, project, mr.Iid, new MergeRequestChanges(Title: new string('>', 255), Description: second));
        await pipeline.PumpAsync();

        Assert.Equal((first, second, second), (mr.Description, updated.Description, (await mergeRequests.GetAsync(Caller.Admin, project, mr.Iid)).Description));
        Assert.Equal(2, pipeline.Network.Received.Count);
        Assert.Equal(first, (string?)JsonNode.Parse(pipeline.Network.Received[0].Body)!["object_attributes"]!["description"]);
        var body = pipeline.Network.Received[1].Body;
        // The worst case was really exercised (three descriptions at 6 bytes a character), and it fits the delivery row.
        Assert.InRange(body.Length, 18 * Rules.MaxDescriptionLength, DeliveryPayload.MaxBytes);
        var payload = JsonNode.Parse(body)!;
        Assert.Equal(("update", second), ((string?)payload["object_attributes"]!["action"], (string?)payload["object_attributes"]!["description"]));
        Assert.Equal((first, second), ((string?)payload["changes"]!["description"]!["previous"], (string?)payload["changes"]!["description"]!["current"]));
        Assert.All(await pipeline.LogAsync(project, mr.Iid, checkId), attempt => Assert.Equal(DeliveryStatuses.Succeeded, attempt.Status));
    }

    [Fact]
    public async Task DescriptionOverTheLimit_RefusedAndNothingStoredOrSent()
    {
        await using var pipeline = new NotificationPipeline(azurite.ConnectionString);
        var (project, _) = await pipeline.ProjectWithCheckAsync();
        var mergeRequests = pipeline.Get<IMergeRequestService>();
        var mr = await mergeRequests.CreateAsync(Caller.Admin, project, new NewMergeRequest("feature", "main", "T", Sha.A, "Kept"));
        await pipeline.PumpAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => mergeRequests.UpdateAsync(
            Caller.Admin, project, mr.Iid, new MergeRequestChanges(Title: "Other", Description: new string('x', Rules.MaxDescriptionLength + 1))));

        Assert.IsType<DomainError.ValidationFailed>(error.Error);
        var stored = await mergeRequests.GetAsync(Caller.Admin, project, mr.Iid);
        Assert.Equal(("Kept", "T", mr.UpdatedAt), (stored.Description, stored.Title, stored.UpdatedAt));
        Assert.False(pipeline.Queues.TryTake(out _));
        Assert.Single(pipeline.Network.Received);
    }

    /// <summary>
    /// The longest description allowed, every character JSON-escaped to 6 bytes ("&lt;" is \u003C, an emoji's halves
    /// \uXXXX each), with an emoji across the MR row's split between its two string properties.
    /// </summary>
    private static string WorstCaseDescription(char edge) =>
        edge + string.Concat(Enumerable.Repeat("\U0001F600", (Rules.MaxDescriptionLength - 2) / 2)) + edge;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
