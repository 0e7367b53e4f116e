namespace OrleansChat;

/// <summary>Server-side limits and lifetimes of the grains, bound from the "Chat" configuration section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Logins kept per user; the oldest session is dropped past this.</summary>
    public int MaxSessionsPerUser { get; set; } = 20;
}
