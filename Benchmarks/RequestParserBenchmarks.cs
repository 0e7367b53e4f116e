using BenchmarkDotNet.Attributes;
using OrleansChat.Gateway.Protocol;

namespace OrleansChat.Benchmarks;

/// <summary>The edge check every incoming frame goes through.</summary>
[MemoryDiagnoser]
public class RequestParserBenchmarks
{
    [Benchmark]
    public object ParsePublish() => RequestParser.Parse(SampleFrames.Publish);
}
