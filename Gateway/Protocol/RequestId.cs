using System.Text.Json;

namespace OrleansChat.Gateway.Protocol;

/// <summary>
/// The "id" a reply echoes: the client's string, or (for an id that was not a valid one) the raw JSON
/// value exactly as sent, so the client can still match the error to its request.
/// </summary>
internal readonly record struct RequestId(string? Value, string? RawJson = null)
{
    public static RequestId None => default;

    public bool IsPresent => Value is not null || RawJson is not null;

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (Value is not null)
        {
            writer.WriteString("id", Value);
        }
        else if (RawJson is not null)
        {
            writer.WritePropertyName("id");
            writer.WriteRawValue(RawJson, skipInputValidation: true);
        }
    }
}
