using System.Globalization;

namespace OrleansChat.LoadTest;

/// <summary>The server's memory and CPU, read from /proc by PID, for per-socket costs.</summary>
internal sealed class ServerProcess(int pid)
{
    private static readonly double ClockTicksPerSecond = 100;

    public long RssBytes => StatusKilobytes("VmRSS:") * 1024;

    public long PeakRssBytes => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public double CpuSeconds
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
    }

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
