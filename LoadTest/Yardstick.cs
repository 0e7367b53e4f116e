using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansChat.LoadTest;

/// <summary>
/// The in-process limit OrleansChat is measured against: a bare Kestrel WebSocket broadcast server with
/// no Orleans and no storage, speaking just enough of the protocol for this tool (accounts are
/// accepted as they come, seqs are counters in memory). Each event is encoded once per group and queued
/// to every member socket, as the real gateway does.
/// </summary>
internal static class Yardstick
{
    public static async Task RunAsync(string url, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets();
        var state = new State();
        app.MapGet("/metrics", () => Results.Text(RuntimeSeries(), "text/plain; version=0.0.4"));
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await new Session(socket, state).RunAsync();
        });
        await app.RunAsync(cancellationToken);
    }

    /// <summary>The runtime series the load tool reads, named as the gateway's OpenTelemetry exporter names them.</summary>
    private static string RuntimeSeries()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_heap_total_allocated_bytes_total {GC.GetTotalAllocatedBytes()}\n");
        for (var generation = 0; generation <= 2; generation++)
        {
            // Like the runtime's meter, a collection counts in the oldest generation it collected only.
            var only = GC.CollectionCount(generation) - (generation < 2 ? GC.CollectionCount(generation + 1) : 0);
            text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{dotnet_gc_heap_generation=\"gen{generation}\"}} {only}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_pause_time_seconds_total {GC.GetTotalPauseDuration().TotalSeconds}\n");
        text.Append(CultureInfo.InvariantCulture, $"dotnet_thread_pool_queue_length {ThreadPool.PendingWorkItemCount}\n");
        return text.ToString();
    }

    private sealed class State
    {
        public ConcurrentDictionary<string, GroupState> Groups { get; } = new();

        public ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Memberships { get; } = new();
    }

    private sealed class GroupState
    {
        public Lock Lock { get; } = new();

        public List<Session> Members { get; } = [];

        public long Seq { get; set; }
    }

    private sealed class Session(WebSocket socket, State state)
    {
        private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        private string _user = "";

        public void Enqueue(byte[] frame) => _outbound.Writer.TryWrite(frame);

        public async Task RunAsync()
        {
            var writer = WriteAsync();
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    Handle(JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement);
                }
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                foreach (var group in state.Groups.Values)
                {
                    lock (group.Lock)
                    {
                        group.Members.Remove(this);
                    }
                }

                _outbound.Writer.TryComplete();
                await writer;
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
            }
        }

        private void Handle(JsonElement request)
        {
            var type = request.GetProperty("type").GetString();
            var id = request.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
            switch (type)
            {
                case "register":
                    Reply(id, $"\"userId\":\"{request.GetProperty("username").GetString()}\",\"username\":\"{request.GetProperty("username").GetString()}\"");
                    break;
                case "login":
                    _user = request.GetProperty("username").GetString()!;
                    Reply(id, $"\"token\":\"{_user}\",\"userId\":\"{_user}\",\"username\":\"{_user}\",\"expiresAt\":\"2099-01-01T00:00:00.000Z\"");
                    break;
                case "auth":
                    _user = request.GetProperty("token").GetString()!;
                    Reply(id, $"\"userId\":\"{_user}\",\"username\":\"{_user}\"");
                    break;
                case "join":
                    Join(id, request.GetProperty("group").GetString()!);
                    break;
                case "groups":
                    var groups = state.Memberships.GetValueOrDefault(_user)?.Keys ?? [];
                    Reply(id, "\"groups\":[" + string.Join(',', groups.Select(g => $"{{\"group\":\"{g}\",\"lastSeq\":{state.Groups[g].Seq}}}")) + "]");
                    break;
                case "publish":
                    Publish(id, request.GetProperty("group").GetString()!, request.GetProperty("text").GetString()!);
                    break;
                default:
                    Enqueue(Encoding.UTF8.GetBytes(id is null ? "{\"type\":\"pong\"}" : $"{{\"type\":\"pong\",\"id\":\"{id}\"}}"));
                    break;
            }
        }

        private void Join(string? id, string name)
        {
            var group = state.Groups.GetOrAdd(name, _ => new GroupState());
            state.Memberships.GetOrAdd(_user, _ => new()).TryAdd(name, 0);
            long seq;
            lock (group.Lock)
            {
                if (!group.Members.Contains(this))
                {
                    group.Members.Add(this);
                }

                seq = group.Seq;
            }

            Reply(id, $"\"group\":\"{name}\",\"lastSeq\":{seq},\"members\":[]");
        }

        private void Publish(string? id, string name, string text)
        {
            var group = state.Groups[name];
            var ts = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            lock (group.Lock)
            {
                var seq = ++group.Seq;
                var frame = Encoding.UTF8.GetBytes(
                    $"{{\"type\":\"message\",\"group\":\"{name}\",\"seq\":{seq},\"from\":\"{_user}\",\"text\":{JsonSerializer.Serialize(text)},\"ts\":\"{ts}\",\"clientMsgId\":null}}");
                Reply(id, $"\"group\":\"{name}\",\"seq\":{seq},\"ts\":\"{ts}\"");
                foreach (var member in group.Members)
                {
                    member.Enqueue(frame);
                }
            }
        }

        private void Reply(string? id, string fields)
        {
            if (id is not null)
            {
                Enqueue(Encoding.UTF8.GetBytes($"{{\"type\":\"ok\",\"id\":\"{id}\",{fields}}}"));
            }
        }

        private async Task WriteAsync()
        {
            try
            {
                await foreach (var frame in _outbound.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
            }
        }
    }
}
