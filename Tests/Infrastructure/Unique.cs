namespace OrleansChat.Tests.Infrastructure;

/// <summary>Fresh names per test, so tests sharing a cluster never see each other's users or groups.</summary>
public static class Unique
{
    public static string Name(string prefix = "u") => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 32)];
}
