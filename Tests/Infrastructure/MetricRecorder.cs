using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// Sums what one gateway's instruments record, by instrument name and tags. Other gateways in the same test
/// process have meters of the same name; only those made by this host's meter factory are counted.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricRecorder(GatewayHost host)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                _sums.AddOrUpdate($"{instrument.Name}|{tag.Key}={tag.Value}", value, (_, sum) => sum + value);
            }

            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>The current value of an observable instrument (a gauge), read now.</summary>
    public long Current(string instrument)
    {
        _sums.TryRemove(instrument, out _);
        _listener.RecordObservableInstruments();
        return Sum(instrument);
    }

    /// <summary>The sum recorded so far, of measurements carrying the tag when one is given.</summary>
    public long Sum(string instrument, string? tag = null) => _sums.GetValueOrDefault(tag is null ? instrument : $"{instrument}|{tag}");

    public void Dispose() => _listener.Dispose();
}
