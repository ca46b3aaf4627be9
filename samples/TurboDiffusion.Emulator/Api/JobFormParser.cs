using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TurboDiffusion.Emulator;

/// <summary>
/// Reads the job POST's multipart form and validates it as FastAPI + pydantic v2 would: every field
/// error at once as a 422 list (missing, int_parsing, bool_parsing, float_parsing), then the 0.2.0
/// duration check as a 422 with a plain-text detail. Like FastAPI, an empty form value counts as not
/// sent: a required field is then missing, an optional one takes its default.
/// </summary>
internal static class JobFormParser
{
    /// <summary>Below half a second there is nothing to see (8 frames at 16 fps); the emulator's floor, stated in the README.</summary>
    public const double MinDurationSeconds = 0.5;

    /// <summary>The emulator's ceiling, so one request cannot occupy the CPU for minutes.</summary>
    public const double MaxDurationSeconds = 30;

    public static async Task<(JobRequest? Request, IResult? Error)> ParseAsync(HttpRequest request, EmulatorOptions options, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await ReadFormAsync(request, options.MaxUploadBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ProxyPages.RequestEntityTooLarge());
        }
        catch (InvalidDataException)
        {
            return (null, ApiJson.Detail("There was an error parsing the body", StatusCodes.Status400BadRequest));
        }

        var errors = new List<ValidationErrorItem>();
        var prompt = Value(form, "prompt");
        if (prompt is null)
        {
            errors.Add(Missing("prompt"));
        }

        var images = form.Files.GetFiles("image");
        var image = images.Count > 0 ? images[^1] : null;
        if (image is null)
        {
            errors.Add(Value(form, "image") is { } text
                ? new ValidationErrorItem("value_error", ["body", "image"], "Value error, Expected UploadFile, received: <class 'str'>", text)
                {
                    Ctx = new Dictionary<string, object> { ["error"] = new Dictionary<string, object>() },
                }
                : Missing("image"));
        }

        var seed = Int(form, "seed", 0, errors);
        var numSteps = Int(form, "num_steps", 4, errors);
        var quantized = Bool(form, "quantized", true, errors);
        var duration = Float(form, "duration_seconds", errors);
        if (errors.Count > 0)
        {
            return (null, ApiJson.Json(new DetailResponse<IReadOnlyList<ValidationErrorItem>>(errors), StatusCodes.Status422UnprocessableEntity));
        }

        if (CheckDuration(duration) is { } problem)
        {
            return (null, ApiJson.Detail(problem, StatusCodes.Status422UnprocessableEntity));
        }

        var frames = duration is { } seconds ? (int)PythonSemantics.Round(seconds * options.Fps) : options.DefaultFrameCount;
        return (new JobRequest(prompt!, image!.OpenReadStream(), image.FileName, seed, numSteps, quantized, duration, frames), null);
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // FastAPI reads a non-form body as an empty form: every required field is then "missing".
        if (!request.HasFormContentType)
        {
            return FormCollection.Empty;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        return await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = long.MaxValue }, cancellationToken);
    }

    private static string? CheckDuration(double? duration)
    {
        if (duration is not { } seconds)
        {
            return null;
        }

        var shown = seconds.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        if (!double.IsFinite(seconds))
        {
            return $"duration_seconds must be a finite number of seconds (got {shown}).";
        }

        if (seconds < MinDurationSeconds)
        {
            return $"duration_seconds is too small: at least {MinDurationSeconds.ToString(CultureInfo.InvariantCulture)} s is needed (got {shown}).";
        }

        return seconds > MaxDurationSeconds
            ? $"duration_seconds is too large: at most {MaxDurationSeconds.ToString(CultureInfo.InvariantCulture)} s is allowed (got {shown})."
            : null;
    }

    /// <summary>The last value sent for a field (Starlette's FormData keeps the last), or null when absent or empty.</summary>
    private static string? Value(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    private static long Int(IFormCollection form, string name, long fallback, List<ValidationErrorItem> errors)
    {
        if (Value(form, name) is not { } text)
        {
            return fallback;
        }

        if (PythonSemantics.TryParseInt(text, out var value))
        {
            return value;
        }

        errors.Add(new ValidationErrorItem("int_parsing", ["body", name], "Input should be a valid integer, unable to parse string as an integer", text));
        return fallback;
    }

    private static bool Bool(IFormCollection form, string name, bool fallback, List<ValidationErrorItem> errors)
    {
        if (Value(form, name) is not { } text)
        {
            return fallback;
        }

        if (PythonSemantics.TryParseBool(text, out var value))
        {
            return value;
        }

        errors.Add(new ValidationErrorItem("bool_parsing", ["body", name], "Input should be a valid boolean, unable to interpret input", text));
        return fallback;
    }

    private static double? Float(IFormCollection form, string name, List<ValidationErrorItem> errors)
    {
        if (Value(form, name) is not { } text)
        {
            return null;
        }

        if (PythonSemantics.TryParseFloat(text, out var value))
        {
            return value;
        }

        errors.Add(new ValidationErrorItem("float_parsing", ["body", name], "Input should be a valid number, unable to parse string as a number", text));
        return null;
    }

    private static ValidationErrorItem Missing(string name) => new("missing", ["body", name], "Field required", null);
}
