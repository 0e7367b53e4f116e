using Microsoft.AspNetCore.Identity;
using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Users;

/// <summary>
/// Guards one username against guessing: exponential back-off after failed logins, and after attempts to
/// register the name once it is taken (kept apart, so that those cannot lock the owner out of logging in);
/// and the same slow hash for an unknown user as for a wrong password, so that neither the answer nor its
/// timing tells whether the name exists. Soft state: a new activation starts afresh.
/// </summary>
internal sealed class LoginGuard(IPasswordHasher<AccountState> hasher, LimitsOptions limits)
{
    private const string DummyPassword = "not anyone's password";

    // A hash made once per silo with the hasher's own settings, so checking against it costs what a real check does.
    private static string? s_dummyHash;

    private readonly FailureBackoff _logins = NewBackoff(limits);
    private readonly FailureBackoff _registrations = NewBackoff(limits);

    /// <summary>Checks the password (against a dummy hash for an unknown user) unless the name is backing off.</summary>
    public PasswordVerificationResult Verify(AccountState account, string password, DateTime now)
    {
        ThrowIfWaiting(_logins, now);
        var verdict = account.IsRegistered
            ? hasher.VerifyHashedPassword(account, account.PasswordHash!, password)
            : VerifyAgainstDummy(password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            Record(_logins, now);
        }
        else
        {
            _logins.Succeeded();
        }

        return verdict;
    }

    /// <summary>Refuses a registration while the name is backing off from earlier attempts on it.</summary>
    public void BeforeRegistering(DateTime now) => ThrowIfWaiting(_registrations, now);

    public void RegistrationRefused(DateTime now) => Record(_registrations, now);

    private static FailureBackoff NewBackoff(LimitsOptions limits) =>
        new(limits.FreeLoginFailures, limits.LoginBackoff, limits.LoginBackoffMax);

    private PasswordVerificationResult VerifyAgainstDummy(string password)
    {
        var dummy = new AccountState();
        s_dummyHash ??= hasher.HashPassword(dummy, DummyPassword);
        hasher.VerifyHashedPassword(dummy, s_dummyHash, password);
        return PasswordVerificationResult.Failed;
    }

    private void ThrowIfWaiting(FailureBackoff backoff, DateTime now)
    {
        if (limits.Enabled && backoff.WaitAt(now) is var wait && wait > TimeSpan.Zero)
        {
            throw ChatRules.TooManyFailedLogins(wait);
        }
    }

    private void Record(FailureBackoff backoff, DateTime now)
    {
        if (limits.Enabled)
        {
            backoff.Failed(now);
        }
    }
}
