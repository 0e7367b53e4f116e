using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Gateway;

/// <summary>
/// ASP.NET Core hosting's request logger is off while the gateway serves (so no request, and no idle socket, holds
/// an Activity and a log scope for it), on (at Warning) for startup and shutdown failures, and as configured when an operator
/// sets its level.
/// </summary>
public sealed class RequestDiagnosticsSwitchTests
{
    private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Theory]
    [InlineData("Logging:LogLevel:Default", "Information")]
    [InlineData("Logging:Console:LogLevel:Default", "Warning")] // a rule for the console alone beats those for all providers
    public async Task HostingRequestLogger_OffWhileServing_OnBeforeStartAndOnceStopping(string otherLevelKey, string otherLevel)
    {
        var app = GatewayHost.Build(_ => { }, (otherLevelKey, otherLevel));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var enabledBeforeStart = (logger.IsEnabled(LogLevel.Critical), logger.IsEnabled(LogLevel.Information));

        await app.StartAsync();
        var enabledWhileServing = logger.IsEnabled(LogLevel.Critical);
        await app.StopAsync();
        var enabledOnceStopped = logger.IsEnabled(LogLevel.Critical);
        await app.DisposeAsync();

        Assert.Equal((true, false), enabledBeforeStart);
        Assert.False(enabledWhileServing);
        Assert.True(enabledOnceStopped);
    }

    [Theory]
    [InlineData($"Logging:LogLevel:{Category}")]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore.Hosting")]
    [InlineData($"Logging:Console:LogLevel:{Category}")]
    public async Task HostingRequestLogger_WithItsLevelConfigured_FollowsTheConfiguration(string levelKey)
    {
        var app = GatewayHost.Build(_ => { }, (levelKey, "Information"));
        await app.StartAsync();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

        var enabled = (logger.IsEnabled(LogLevel.Information), logger.IsEnabled(LogLevel.Debug));
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.Equal((true, false), enabled);
    }
}
