namespace OrleansChat.Users;

/// <summary>
/// A password or token on its way to a user grain. Orleans prints a call's arguments into its timeout
/// messages and logs; this one prints as ***. Strings convert to it where a grain is called.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.Secret")]
public readonly record struct Secret([property: Id(0)] string Value)
{
    public static implicit operator Secret(string value) => new(value);

    public override string ToString() => "***";
}
