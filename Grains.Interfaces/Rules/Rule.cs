using OrleansChat.Errors;

namespace OrleansChat.Rules;

/// <summary>A condition a value from a client must meet, and the error that tells the client what it broke.</summary>
public sealed class Rule<T>(Func<T, bool> isMet, ChatErrorCode code, string message)
{
    public string Message => message;

    public bool IsMetBy(T value) => isMet(value);

    public ChatException Violation() => new(code, message);

    /// <summary>Returns the value when it meets the rule and throws the rule's error otherwise.</summary>
    public T Require(T value) => isMet(value) ? value : throw Violation();
}
