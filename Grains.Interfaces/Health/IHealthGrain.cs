namespace OrleansChat.Health;

/// <summary>Answers when a silo is there to run it: a gateway's readiness probe.</summary>
[Alias("OrleansChat.IHealthGrain")]
public interface IHealthGrain : IGrainWithIntegerKey
{
    Task Ping();
}
