using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansChat.Users;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>Reads an account as the silo stored it, to check what no protocol reply shows (hashes, sessions).</summary>
public static class StoredAccounts
{
    public static async Task<AccountState> ReadAsync(IServiceProvider siloServices, string username)
    {
        var storage = siloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Chat);
        var state = new GrainState<AccountState>(new AccountState());
        await storage.ReadStateAsync("account", GrainId.Create("user", username.ToLowerInvariant()), state);
        return state.State!;
    }
}
