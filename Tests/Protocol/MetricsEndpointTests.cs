using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>The gateway's /metrics, scraped before and after real traffic: each counter moves by what happened.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Traffic_MovesEveryCounterByTheExpectedAmount()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:TypingPerSecond", "0"), ("Limits:TypingBurst", "1"));
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var ((writer, _), (reader, _), group) = (room[0], room[1], room.Group);
        var before = await PrometheusScrape.ReadAsync(host.Http);

        for (var i = 0; i < 3; i++)
        {
            await writer.PublishAsync(group, $"m{i}");
        }

        for (var i = 0; i < 3; i++)
        {
            await reader.NextEventAsync("message", group);
        }

        await writer.RequestAsync(new { type = "no such request" });
        await writer.RequestAsync(new { type = "typing", group });
        await writer.RequestAsync(new { type = "typing", group });
        await reader.NextEventAsync("typing", group);
        var after = await PrometheusScrape.ReadAsync(host.Http);

        double Moved(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(2, after.Sum("orleanschat_sockets_open"));
        Assert.Equal(2, after.Sum("orleanschat_users_online"));
        Assert.Equal(1, after.Sum("orleanschat_groups_relayed"));
        Assert.Equal(3, Moved("orleanschat_publishes_total"));
        Assert.Equal(3, Moved("orleanschat_frames_received_total", "orleanschat_frame_type=\"publish\""));
        Assert.Equal(1, Moved("orleanschat_frames_received_total", "orleanschat_frame_type=\"invalid\""));
        Assert.Equal(2, Moved("orleanschat_frames_received_total", "orleanschat_frame_type=\"typing\""));
        Assert.Equal(6, Moved("orleanschat_deliveries_total"));
        Assert.Equal(6, Moved("orleanschat_frames_sent_total", "orleanschat_frame_type=\"message\""));
        Assert.Equal(1, Moved("orleanschat_frames_sent_total", "orleanschat_frame_type=\"typing\""));
        Assert.Equal(4, Moved("orleanschat_frames_sent_total", "orleanschat_frame_type=\"ok\""));
        Assert.Equal(2, Moved("orleanschat_frames_sent_total", "orleanschat_frame_type=\"error\""));
        Assert.Equal(1, Moved("orleanschat_errors_total", "orleanschat_error_code=\"bad_request\""));
        Assert.Equal(1, Moved("orleanschat_errors_total", "orleanschat_error_code=\"rate_limited\""));
        Assert.Equal(1, Moved("orleanschat_requests_rate_limited_total", "orleanschat_limit=\"typing\""));
        Assert.Equal(3, Moved("orleanschat_publish_duration_seconds_count"));
        Assert.Equal(3, Moved("orleanschat_fanout_duration_seconds_count"));
        Assert.Equal(3, Moved("orleanschat_relay_stream_delay_seconds_count"));
        Assert.True(after.Has("orleanschat_threadpool_queue_delay_seconds"), "the thread pool's delay, which overload refusals follow, is exported");
        Assert.True(after.Has("orleans_catalog_activations"), "Orleans' own meters are exported");
        Assert.True(after.Has("dotnet_gc_collections_total"), "the runtime's meters are exported");
    }

    [Fact]
    public async Task MetricsPortSet_MetricsServedOnlyThere_NotOnThePublicPort()
    {
        var (publicPort, metricsPort) = (FreePort.Next(), FreePort.Next());
        await using var host = await GatewayHost.StartAsync(
            ("urls", $"http://127.0.0.1:{publicPort};http://127.0.0.1:{metricsPort}"), ("Telemetry:MetricsPort", $"{metricsPort}"));
        using var metricsClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

        using var onPublic = await host.Http.GetAsync("/metrics");
        var onMetricsPort = await PrometheusScrape.ReadAsync(metricsClient);

        Assert.Equal(publicPort, host.HttpUri.Port);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onPublic.StatusCode);
        Assert.True(onMetricsPort.Has("orleanschat_sockets_open"));
    }
}
