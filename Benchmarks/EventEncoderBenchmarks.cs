using BenchmarkDotNet.Attributes;
using OrleansChat.Gateway.Protocol;

namespace OrleansChat.Benchmarks;

/// <summary>Encoding a message event, done once per gateway per message.</summary>
[MemoryDiagnoser]
public class EventEncoderBenchmarks
{
    [Benchmark]
    public byte[] EncodeMessage() => ServerFrames.Message("general", SampleFrames.Message);
}
