using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using OrleansChat.Gateway;
using OrleansChat.Limits;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Benchmarks;

/// <summary>
/// One message to every socket of a group on this gateway: encode once, queue on each socket, and each
/// socket's writer frames it for the WebSocket. Completes when every socket has written it.
/// </summary>
[MemoryDiagnoser]
public class FanoutBenchmarks
{
    private readonly WriteCounter _writes = new();
    private List<ChatConnection> _connections = [];

    [Params(100, 1000)]
    public int Sockets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new GatewayOptions();
        var budget = OutboundBudget.Unlimited;
        _connections = Enumerable.Range(0, Sockets)
            .Select(_ => new ChatConnection(
                WebSocket.CreateFromStream(new CountingStream(_writes), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan),
                remoteAddress: null,
                options,
                new LimitsOptions(),
                budget,
                TimeProvider.System))
            .ToList();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    [Benchmark]
    public Task SendMessageToGroup()
    {
        var written = _writes.Expect(_connections.Count);
        var frame = ServerFrames.Message("general", SampleFrames.Message);
        foreach (var connection in _connections)
        {
            connection.Send(frame);
        }

        return written;
    }
}
