using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

/// <summary>Registered users of the test cluster, for the grain tests that need a few.</summary>
public static class ClusterUsers
{
    public const string Password = "long enough password";

    /// <summary>Registers a fresh user whose name starts with <paramref name="prefix"/>.</summary>
    public static async Task<UserIdentity> RegisterAsync(this ClusterFixture fixture, string prefix)
    {
        var username = Unique.Name(prefix);
        return await fixture.Client.GetGrain<IUserGrain>(username.ToLowerInvariant()).Register(username, Password);
    }

    public static IUserGrain User(this ClusterFixture fixture, UserIdentity user) => fixture.Client.GetGrain<IUserGrain>(user.UserId);
}
