using System.Text.Json;

namespace TurboDiffusion.Emulator.Tests.Support;

/// <summary>Compares JSON by shape: the same keys at every level and the same kinds of values.</summary>
internal static class JsonShape
{
    /// <summary>Describes the first difference, or returns null when the shapes match. Keys listed in <paramref name="allowedExtras"/> as paths (e.g. <c>$.engine</c>) may appear only in <paramref name="actual"/>.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, params string[] allowedExtras) =>
        Compare(expected, actual, "$", allowedExtras);

    public static void AssertSameShape(JsonElement expected, JsonElement actual, params string[] allowedExtras)
    {
        var difference = Difference(expected, actual, allowedExtras);
        Assert.True(difference is null, $"{difference}\nexpected: {expected}\nactual:   {actual}");
    }

    private static string? Compare(JsonElement expected, JsonElement actual, string path, string[] allowedExtras)
    {
        if (Kind(expected) != Kind(actual))
        {
            return $"{path}: expected a {Kind(expected)}, got a {Kind(actual)}";
        }

        if (expected.ValueKind == JsonValueKind.Object)
        {
            var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
            var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
            var missing = expectedKeys.Except(actualKeys).ToList();
            var extra = actualKeys.Except(expectedKeys).Where(k => !allowedExtras.Contains(path + "." + k)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                return $"{path}: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", extra)}]";
            }

            foreach (var key in expectedKeys)
            {
                if (Compare(expected.GetProperty(key), actual.GetProperty(key), path + "." + key, allowedExtras) is { } difference)
                {
                    return difference;
                }
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0 && actual.GetArrayLength() > 0)
        {
            return Compare(expected[0], actual[0], path + "[0]", allowedExtras);
        }

        return null;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}

/// <summary>The contract's example payloads, copied into the test output as Examples/*.json.</summary>
internal static class Examples
{
    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name + ".json"))).RootElement;
}
