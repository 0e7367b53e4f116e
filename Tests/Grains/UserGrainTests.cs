using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    private const string Password = "s3cret password";

    [Fact]
    public async Task Register_ThenLogin_TokenAuthenticates()
    {
        var (grain, username) = NewUser();

        var identity = await grain.Register(username, Password);
        var ticket = await grain.Login(Password);
        var authenticated = await grain.Authenticate(ticket.Token);

        Assert.Equal(new UserIdentity(username.ToLowerInvariant(), username), identity);
        Assert.Equal(identity, ticket.User);
        Assert.Equal(identity, authenticated);
        Assert.InRange(ticket.ExpiresAt - DateTime.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task RegisterTwice_Conflict_TheTakenAccountIsLeftAsItWas()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        var before = await ReadAccount(username);

        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Register(username.ToUpperInvariant(), "another password"));

        Assert.Equal(ChatErrorCode.Conflict, error.Code);
        var after = await ReadAccount(username);
        Assert.Equal((before.Username, before.PasswordHash), (after.Username, after.PasswordHash));
        Assert.Empty(after.Sessions);
        await grain.Login(Password);
        Assert.Equal(ChatErrorCode.Unauthorized, (await Assert.ThrowsAsync<ChatException>(() => grain.Login("another password"))).Code);
    }

    [Fact]
    public async Task RegisterUnderAnotherUsersKey_BadRequest()
    {
        var (grain, _) = NewUser();

        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Register("somebody_else", Password));

        Assert.Equal(ChatErrorCode.BadRequest, error.Code);
    }

    [Fact]
    public async Task WrongPassword_Unauthorized()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);

        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Login("not the password"));

        Assert.Equal(ChatErrorCode.Unauthorized, error.Code);
    }

    [Fact]
    public async Task FailedLoginsPastTheFreeOnes_BackOff_EvenForTheRightPassword()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(ChatErrorCode.Unauthorized, (await Assert.ThrowsAsync<ChatException>(() => grain.Login("not the password"))).Code);
        }

        var refused = await Assert.ThrowsAsync<ChatException>(() => grain.Login(Password));

        Assert.Equal(ChatErrorCode.RateLimited, refused.Code);
        Assert.StartsWith("too many failed attempts", refused.Message, StringComparison.Ordinal);
        var (other, otherName) = NewUser();
        await other.Register(otherName, Password);
        await other.Login(Password);
    }

    [Fact]
    public async Task RegisteringATakenNameAgainAndAgain_BacksOff_WithoutLockingTheOwnerOut()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(ChatErrorCode.Conflict, (await Assert.ThrowsAsync<ChatException>(() => grain.Register(username, Password))).Code);
        }

        var refused = await Assert.ThrowsAsync<ChatException>(() => grain.Register(username, Password));

        Assert.Equal(ChatErrorCode.RateLimited, refused.Code);
        await grain.Login(Password);
    }

    [Fact]
    public async Task UnknownUserAndWrongPassword_SameAnswer_InSimilarTime()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        var wrong = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        var messages = new HashSet<string>();

        // Four of each: fewer than the free failures, so no back-off answers instead.
        for (var i = 0; i < 4; i++)
        {
            wrong.Add(await TimeFailedLogin(grain, messages));
            unknown.Add(await TimeFailedLogin(NewUser().Grain, messages));
        }

        Assert.Equal(["wrong username or password"], messages);
        var (wrongMedian, unknownMedian) = (Median(wrong), Median(unknown));
        Assert.True(unknownMedian >= wrongMedian / 2, $"unknown user {unknownMedian.TotalMilliseconds} ms, wrong password {wrongMedian.TotalMilliseconds} ms");
        Assert.True(unknownMedian <= (wrongMedian * 3) + TimeSpan.FromMilliseconds(50), $"unknown user {unknownMedian.TotalMilliseconds} ms, wrong password {wrongMedian.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task LoginUnregistered_Unauthorized()
    {
        var (grain, _) = NewUser();

        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Login(Password));

        Assert.Equal(ChatErrorCode.Unauthorized, error.Code);
    }

    [Fact]
    public async Task TamperedToken_Unauthorized()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        var token = (await grain.Login(Password)).Token;
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Authenticate(tampered));

        Assert.Equal(ChatErrorCode.Unauthorized, error.Code);
    }

    [Fact]
    public async Task GetGroups_DropsAGroupThatNoLongerCountsTheUserAsAMember()
    {
        var (grain, username) = NewUser();
        await grain.Register(username, Password);
        var (kept, lost) = (Unique.Name("kept"), Unique.Name("lost"));
        await grain.JoinGroup(kept);
        await grain.JoinGroup(lost);

        // As after a leave whose write to the user's own list failed: the group alone has forgotten the member.
        await fixture.Client.GetGrain<IGroupGrain>(lost).Leave(username.ToLowerInvariant());

        Assert.Equal([kept], (await grain.GetGroups()).Select(group => group.Group));
    }

    [Fact]
    public async Task StoredAccount_HoldsOnlySaltedSlowHashes()
    {
        var (first, firstName) = NewUser();
        var (second, secondName) = NewUser();
        await first.Register(firstName, Password);
        await second.Register(secondName, Password);
        var token = (await first.Login(Password)).Token;

        var stored = await ReadAccount(firstName);
        var other = await ReadAccount(secondName);

        Assert.DoesNotContain(Password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(other.PasswordHash, stored.PasswordHash);
        // PasswordHasher's v3 format: a 0x01 marker, then PRF, iteration count, salt and subkey.
        var hash = Convert.FromBase64String(stored.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000);
        var session = Assert.Single(stored.Sessions);
        Assert.DoesNotContain(token.Split('.')[^1], Convert.ToBase64String(session.SecretHash), StringComparison.Ordinal);
    }

    private static async Task<TimeSpan> TimeFailedLogin(IUserGrain grain, HashSet<string> messages)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAsync<ChatException>(() => grain.Login("not the password"));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Assert.Equal(ChatErrorCode.Unauthorized, error.Code);
        messages.Add(error.Message);
        return elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private (IUserGrain Grain, string Username) NewUser()
    {
        var username = Unique.Name("User");
        return (fixture.Client.GetGrain<IUserGrain>(username.ToLowerInvariant()), username);
    }

    private Task<AccountState> ReadAccount(string username) => StoredAccounts.ReadAsync(fixture.Cluster.GetSiloServiceProvider(), username);
}
