using Microsoft.Extensions.Logging.Console;

namespace OrleansChat.Gateway.Hosting;

/// <summary>
/// Switches ASP.NET Core hosting's request logger off while the gateway serves, unless its level is configured.
/// </summary>
/// <remarks>
/// That logger writes only per-request lines (at Information and Debug, below the default Warning), yet merely
/// being enabled at Critical makes hosting start an <see cref="System.Diagnostics.Activity"/> and a log scope
/// for every request, and an upgraded <c>/ws</c> request keeps both for its socket's whole life: about 0.3 KB
/// per idle socket. It stays on before the app has started and once it stops, where the same category reports
/// startup and shutdown failures.
/// </remarks>
internal sealed class RequestDiagnosticsSwitch
{
    private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>The configured levels that name this logger (or hosting as a whole), for all providers or the console's.</summary>
    private static readonly string[] OperatorKeys =
    [
        $"Logging:LogLevel:{Category}",
        "Logging:LogLevel:Microsoft.AspNetCore.Hosting",
        $"Logging:Console:LogLevel:{Category}",
        "Logging:Console:LogLevel:Microsoft.AspNetCore.Hosting",
    ];

    private volatile bool _serving;

    public static void AddTo(WebApplicationBuilder builder)
    {
        if (OperatorKeys.Any(key => builder.Configuration[key] is not null))
        {
            return;
        }

        var toggle = new RequestDiagnosticsSwitch();
        builder.Services.AddSingleton(toggle);
        Func<LogLevel, bool> filter = level => !toggle._serving && level >= LogLevel.Warning;
        builder.Logging.AddFilter(Category, filter);

        // A rule for one provider beats every rule for all of them, so a console-wide level would otherwise win.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(Category, filter);
    }

    /// <summary>Off from the app's start until it begins to stop; nothing when <see cref="AddTo"/> left the logger as configured.</summary>
    public static void FollowLifetime(WebApplication app)
    {
        if (app.Services.GetService<RequestDiagnosticsSwitch>() is { } toggle)
        {
            // A stop requested while the app was starting comes before its start; the logger then stays on.
            app.Lifetime.ApplicationStarted.Register(() => toggle._serving = !app.Lifetime.ApplicationStopping.IsCancellationRequested);
            app.Lifetime.ApplicationStopping.Register(() => toggle._serving = false);
        }
    }
}
