using System.Text.Json;

namespace TurboDiffusion.Client.Contract;

/// <summary>The JSON settings used for every backend payload.</summary>
public static class TurboDiffusionJson
{
    /// <summary>
    /// Web defaults (case-insensitive names, numbers read from strings); unknown fields are ignored and missing
    /// ones keep their defaults, so new backend fields never break the client. The DTOs name their fields explicitly.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
