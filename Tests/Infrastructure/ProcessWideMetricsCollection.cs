namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// Tests that read a gateway's /metrics run alone: an OpenTelemetry exporter subscribes to meters by name,
/// process-wide, so gateways of other tests running meanwhile in this process would add to its counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "process-wide metrics";
}
