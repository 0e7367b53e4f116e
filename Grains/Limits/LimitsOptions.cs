namespace OrleansChat.Limits;

/// <summary>
/// Every abuse limit, bound from the "Limits" configuration section by gateways and silos alike. Rates are
/// token buckets (a burst, refilled at the rate per second). With <see cref="Enabled"/> false none of the
/// limits applies, for benchmarks.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests of any kind, per socket.</summary>
    public double RequestsPerSecond { get; set; } = 100;

    public int RequestBurst { get; set; } = 200;

    /// <summary>Publishes, per socket and per user (all of the user's sockets on one gateway).</summary>
    public double PublishesPerSecond { get; set; } = 20;

    public int PublishBurst { get; set; } = 40;

    /// <summary>Typing notices, per socket and per user; the web page sends one every 2 s at most.</summary>
    public double TypingPerSecond { get; set; } = 5;

    public int TypingBurst { get; set; } = 10;

    /// <summary>Joins and leaves together, per user.</summary>
    public double MembershipChangesPerSecond { get; set; } = 5;

    public int MembershipChangeBurst { get; set; } = 30;

    /// <summary>Read markers (conversations marked read up to a seq), per user.</summary>
    public double ReadMarkersPerSecond { get; set; } = 5;

    public int ReadMarkerBurst { get; set; } = 20;

    /// <summary>Sockets bound to one user (by login or auth), per user; each may make the user go online.</summary>
    public double SignInsPerSecond { get; set; } = 2;

    public int SignInBurst { get; set; } = 20;

    /// <summary>Registrations and logins, per client address over HTTP and WebSocket together.</summary>
    public double AccountAttemptsPerSecond { get; set; } = 20;

    public int AccountAttemptBurst { get; set; } = 40;

    /// <summary>Failed logins in a row that cost nothing, per username and per client address.</summary>
    public int FreeLoginFailures { get; set; } = 5;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    public TimeSpan LoginBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait; failures older than this are forgotten.</summary>
    public TimeSpan LoginBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Refused requests (rate_limited) after which a socket that has not signed in is closed with 1008.</summary>
    public int RefusalsBeforeClose { get; set; } = 20;

    /// <summary>Sockets one user may have open on one gateway.</summary>
    public int SocketsPerUser { get; set; } = 20;

    public int GroupsPerUser { get; set; } = 1000;

    /// <summary>Invitations a group holds that have not been used yet.</summary>
    public int InvitationsPerGroup { get; set; } = 1000;

    /// <summary>Users a group bans.</summary>
    public int BansPerGroup { get; set; } = 10_000;

    /// <summary>Direct conversations one user may have written in (or blocked); message requests are not counted.</summary>
    public int ConversationsPerUser { get; set; } = 1000;

    /// <summary>
    /// Message requests (conversations others started that the user has not written in) one user's list holds; a
    /// new one past it pushes out the oldest, so that other accounts can never fill a user's list.
    /// </summary>
    public int MessageRequestsPerUser { get; set; } = 100;

    public int MembersPerGroup { get; set; } = 10_000;
}
