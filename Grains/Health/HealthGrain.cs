using Orleans.Concurrency;

namespace OrleansChat.Health;

[StatelessWorker]
public sealed class HealthGrain : Grain, IHealthGrain
{
    public Task Ping() => Task.CompletedTask;
}
