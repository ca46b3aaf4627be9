using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Storage;

/// <summary>
/// Reads and writes stored <see cref="JobRecord"/>s: JSON with the record's <c>schemaVersion</c>; older versions go
/// through <see cref="Migrations"/>, anything unreadable or newer is skipped (another tab running a newer studio
/// may have written it, so it is left untouched).
/// </summary>
internal sealed class JobRecordSerializer
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Migrations by the version they upgrade from: <c>n → n+1</c>, applied in a chain up to the current version.</summary>
    public IReadOnlyDictionary<int, Func<JsonObject, JsonObject>> Migrations { get; }

    public JobRecordSerializer(IReadOnlyDictionary<int, Func<JsonObject, JsonObject>>? migrations = null)
    {
        // Version 1 is the first stored shape; when JobRecord changes, add "1 → 2" here and bump CurrentSchemaVersion.
        Migrations = migrations ?? new Dictionary<int, Func<JsonObject, JsonObject>>();
    }

    public static string Serialize(JobRecord record)
    {
        // A default JsonElement cannot be written; store "no parameters" as null.
        if (record.Params.ValueKind == JsonValueKind.Undefined) record = record with { Params = JsonNull };
        return JsonSerializer.Serialize(record, Options);
    }

    /// <summary>The record, or null when the text is corrupt, too new, or too old to migrate.</summary>
    public JobRecord? TryDeserialize(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node) return null;
            var version = node["schemaVersion"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
            if (version > JobRecord.CurrentSchemaVersion) return null;
            while (version < JobRecord.CurrentSchemaVersion)
            {
                if (!Migrations.TryGetValue(version, out var migrate)) return null;
                node = migrate(node);
                version++;
                node["schemaVersion"] = version;
            }

            var record = node.Deserialize<JobRecord>(Options);
            return record is null || string.IsNullOrEmpty(record.Id) ? null : record;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // e.g. a value of the wrong JSON kind inside the record
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
