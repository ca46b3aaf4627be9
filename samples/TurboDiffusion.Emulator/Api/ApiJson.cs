using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace TurboDiffusion.Emulator;

/// <summary>JSON as the API writes it: snake_case keys, and no needless escaping (FastAPI writes "+00:00", not "\u002B00:00").</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, "application/json", statusCode);

    public static IResult Detail(string detail, int statusCode) => Json(new DetailResponse<string>(detail), statusCode);

    /// <summary>Starlette's answer to an unhandled exception: a bare text body.</summary>
    public static IResult InternalServerError() =>
        Results.Text("Internal Server Error", "text/plain; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
}

/// <summary>JSON of the emulator's own admin routes: camelCase, enums as words.</summary>
internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, "application/json", statusCode);
}
