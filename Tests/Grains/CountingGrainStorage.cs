using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansChat.Tests.Grains;

/// <summary>
/// Real memory storage with a count of writes per state type, and an optional write latency so that
/// concurrent publishes pile up the way they do against a remote store.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<Type, int> _writes = new();

    public TimeSpan WriteLatency { get; set; }

    public int WritesOf<TState>() => _writes.GetValueOrDefault(typeof(TState));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _writes.AddOrUpdate(typeof(T), 1, (_, count) => count + 1);
        if (WriteLatency > TimeSpan.Zero)
        {
            await Task.Delay(WriteLatency);
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
