namespace OrleansChat;

internal static class ClockExtensions
{
    /// <summary>UTC now cut to whole milliseconds, the protocol's precision, so stored and sent times agree.</summary>
    public static DateTime UtcNowToMillisecond(this TimeProvider clock) => ToMillisecond(clock.GetUtcNow().UtcDateTime);

    public static DateTime ToMillisecond(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
