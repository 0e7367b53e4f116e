using System.Text.Json;

namespace OrleansChat.Cli;

/// <summary>
/// Login tokens per server, in $XDG_CONFIG_HOME/orleanschat/tokens.json (else ~/.config/...), readable
/// by the user alone: a token is as good as a password until it expires.
/// </summary>
internal sealed class TokenStore
{
    private readonly string _path;

    public TokenStore()
    {
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            configHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        _path = Path.Combine(configHome, "orleanschat", "tokens.json");
    }

    public string? Get(Uri server) => Load().GetValueOrDefault(Key(server));

    public void Set(Uri server, string token)
    {
        var tokens = Load();
        tokens[Key(server)] = token;
        Save(tokens);
    }

    public bool Remove(Uri server)
    {
        var tokens = Load();
        if (!tokens.Remove(Key(server)))
        {
            return false;
        }

        Save(tokens);
        return true;
    }

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    private Dictionary<string, string> Load()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? [];
    }

    private void Save(Dictionary<string, string> tokens)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(tokens));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
