using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TurboDiffusion.Client.Contract;

/// <summary>Reads ISO 8601 timestamps; anything else (null, a number, garbage) becomes null instead of failing the whole payload.</summary>
public sealed class TolerantDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v) writer.WriteStringValue(v.ToString("O", CultureInfo.InvariantCulture));
        else writer.WriteNullValue();
    }
}
