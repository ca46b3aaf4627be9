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
    public JobRecord? TryDeserialize(string json) => Read(json, out var record, out _) == ReadOutcome.Read ? record : null;

    /// <summary>
    /// Reads one stored record: <see cref="ReadOutcome.Read"/> with a record that is safe to use
    /// (<see cref="StoredJobRecords.Repair"/>), <see cref="ReadOutcome.Newer"/> for a newer schema (another tab's newer
    /// studio wrote it: leave it alone), or <see cref="ReadOutcome.Unusable"/> with <paramref name="problem"/> saying why.
    /// </summary>
    public ReadOutcome Read(string json, out JobRecord? record, out string? problem)
    {
        record = null;
        problem = null;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node)
            {
                problem = "not a JSON object";
                return ReadOutcome.Unusable;
            }

            var version = node["schemaVersion"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
            if (version > JobRecord.CurrentSchemaVersion) return ReadOutcome.Newer;
            while (version < JobRecord.CurrentSchemaVersion)
            {
                if (!Migrations.TryGetValue(version, out var migrate))
                {
                    problem = "schema version " + version + " has no migration";
                    return ReadOutcome.Unusable;
                }

                node = migrate(node);
                version++;
                node["schemaVersion"] = version;
            }

            record = StoredJobRecords.Repair(node.Deserialize<JobRecord>(Options), out problem);
            return record is null ? ReadOutcome.Unusable : ReadOutcome.Read;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            // Corrupt text, or a value of the wrong JSON kind inside the record.
            problem = ex.Message;
            return ReadOutcome.Unusable;
        }
    }

    /// <summary>What <see cref="Read"/> made of a stored text.</summary>
    public enum ReadOutcome
    {
        /// <summary>A usable record.</summary>
        Read,
        /// <summary>Written by a newer schema: left alone.</summary>
        Newer,
        /// <summary>Corrupt or unusable: set aside.</summary>
        Unusable,
    }
}
