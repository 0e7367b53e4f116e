using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Protocol;

/// <summary>
/// A client that never logs in but sends auth frames with made-up tokens: it must not fill the silo with
/// user grains, and it is throttled, then closed.
/// </summary>
public sealed class BogusAuthenticationTests
{
    private const int FreeFailures = 5;
    private const int Sockets = 100;
    private const int FramesPerSocket = 1_000;

    [Fact]
    public async Task HundredThousandBogusAuths_ActivateNoUserGrains_AndTheSenderIsThrottledThenClosed()
    {
        // A back-off of an hour: within the test, none runs out, so exactly one failure past the free ones is checked.
        await using var host = await GatewayHost.StartAsync(("Limits:FreeLoginFailures", $"{FreeFailures}"), ("Limits:LoginBackoff", "01:00:00"), ("Limits:LoginBackoffMax", "01:00:00"));
        var random = new Random(20261203);
        var userGrainsBefore = await UserGrainCountAsync(host);
        var closes = new List<(WebSocketCloseStatus?, string?)>();
        var replies = new Dictionary<string, int>();

        for (var i = 0; i < Sockets; i++)
        {
            await using var socket = await host.ConnectAsync();
            for (var frame = 0; frame < FramesPerSocket; frame++)
            {
                var request = JsonSerializer.Serialize(new { type = "auth", id = $"a{frame}", token = BogusToken(random) });
                try
                {
                    await socket.SendTextAsync(request);
                }
                catch (ChatDisconnectedException)
                {
                    break;
                }
            }

            using var deadline = new CancellationTokenSource(ChatSocketTestExtensions.Timeout);
            await foreach (var reply in socket.Frames.ReadAllAsync(deadline.Token))
            {
                var code = reply.TryGetProperty("code", out var value) ? value.GetString()! : reply.Type();
                replies[code] = replies.GetValueOrDefault(code) + 1;
            }

            closes.Add((await socket.ClosedAsync(), socket.CloseReason));
        }

        var userGrainsAfter = await UserGrainCountAsync(host);
        Assert.All(closes, close => Assert.Equal((WebSocketCloseStatus.PolicyViolation, "too many refused requests"), close));
        Assert.Equal(["rate_limited", "unauthorized"], replies.Keys.Order());

        // Tokens are checked only until the address's back-off begins, and only the well-formed ones of those
        // reach a user grain.
        Assert.Equal(FreeFailures + 1, replies["unauthorized"]);
        Assert.True(userGrainsAfter - userGrainsBefore <= replies["unauthorized"], $"user grains {userGrainsBefore} -> {userGrainsAfter}");
    }

    /// <summary>Tokens of every kind a guesser might send: well-formed ones of made-up users, and malformed ones.</summary>
    private static string BogusToken(Random random) => random.Next(4) switch
    {
        0 => $"guess{random.Next()}.{Secret(random, SessionToken.SecretBytes)}",
        1 => $"guess{random.Next()}.{Secret(random, 12)}",
        2 => new string('x', 5_000) + "." + Secret(random, SessionToken.SecretBytes),
        _ => Convert.ToHexString(Secret(random, 20).Select(c => (byte)c).ToArray()),
    };

    private static string Secret(Random random, int bytes)
    {
        var secret = new byte[bytes];
        random.NextBytes(secret);
        return Base64Url.EncodeToString(secret);
    }

    private static async Task<int> UserGrainCountAsync(GatewayHost host)
    {
        var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        return statistics.Where(grain => grain.GrainType.Contains("UserGrain", StringComparison.Ordinal)).Sum(grain => grain.ActivationCount);
    }
}
