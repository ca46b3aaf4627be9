using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TurboDiffusion.Emulator;

/// <summary>
/// Reads the job POST's multipart form and validates it as FastAPI + pydantic v2 would: every field
/// error at once as a 422 list (missing, int_parsing, bool_parsing, float_parsing), then the 0.2.0
/// duration check as a 422 with a plain-text detail. Like FastAPI, an empty form value counts as not
/// sent: a required field is then missing, an optional one takes its default. The VideoGen route adds
/// pydantic's bounds (prompt ≤ 8000 characters, 1 ≤ num_steps ≤ 100, duration_seconds &gt; 0) as 422 items,
/// then the plain-string "prompt cannot be empty" for a whitespace-only prompt, and leaves the longest
/// clip to the worker.
/// </summary>
internal static class JobFormParser
{
    /// <summary>Below half a second there is nothing to see (8 frames at 16 fps); the emulator's floor, stated in the README.</summary>
    public const double MinDurationSeconds = 0.5;

    /// <summary>The emulator's ceiling, so one request cannot occupy the CPU for minutes.</summary>
    public const double MaxDurationSeconds = 30;

    /// <summary>VideoGen's <c>max_length</c> of the prompt.</summary>
    public const int MaxPromptLength = 8000;

    /// <summary>VideoGen's <c>le</c> of num_steps (the worker itself samples at most 4).</summary>
    public const int MaxNumSteps = 100;

    /// <summary>VideoGen's text detail for a whitespace-only prompt.</summary>
    public const string EmptyPrompt = "prompt cannot be empty";

    public static async Task<(JobRequest? Request, IResult? Error)> ParseAsync(HttpRequest request, EmulatorOptions options, CancellationToken cancellationToken) =>
        await ParseAsync(request, options, videoGen: false, cancellationToken);

    /// <summary>Reads the form; <paramref name="videoGen"/> applies the VideoGen route's rules instead of the legacy ones.</summary>
    public static async Task<(JobRequest? Request, IResult? Error)> ParseAsync(HttpRequest request, EmulatorOptions options, bool videoGen, CancellationToken cancellationToken)
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
        var enhance = videoGen && Bool(form, "enhance_prompt", false, errors);
        if (videoGen)
        {
            CheckVideoGenBounds(form, prompt, numSteps, duration, errors);
        }

        if (errors.Count > 0)
        {
            return (null, ApiJson.Json(new DetailResponse<IReadOnlyList<ValidationErrorItem>>(errors), StatusCodes.Status422UnprocessableEntity));
        }

        if (videoGen && string.IsNullOrWhiteSpace(prompt))
        {
            return (null, ApiJson.Detail(EmptyPrompt, StatusCodes.Status422UnprocessableEntity));
        }

        if (!videoGen && CheckDuration(duration) is { } problem)
        {
            return (null, ApiJson.Detail(problem, StatusCodes.Status422UnprocessableEntity));
        }

        var frames = QueuedJob.FrameCountFor(duration, options);
        return (new JobRequest(prompt!, image!.OpenReadStream(), image.FileName, seed, numSteps, quantized, duration, frames)
        {
            EnhancePrompt = enhance,
        }, null);
    }

    /// <summary>pydantic's Form(...) constraints of the VideoGen route, in its words.</summary>
    private static void CheckVideoGenBounds(IFormCollection form, string? prompt, long numSteps, double? duration, List<ValidationErrorItem> errors)
    {
        // Python counts code points, not UTF-16 units.
        if (prompt is not null && prompt.EnumerateRunes().Count() > MaxPromptLength)
        {
            errors.Add(new ValidationErrorItem("string_too_long", ["body", "prompt"], $"String should have at most {MaxPromptLength} characters", prompt)
            {
                Ctx = new Dictionary<string, object> { ["max_length"] = MaxPromptLength },
            });
        }

        if (Value(form, "num_steps") is { } steps && !errors.Any(e => e.Loc[^1] == "num_steps"))
        {
            if (numSteps < 1)
            {
                errors.Add(new ValidationErrorItem("greater_than_equal", ["body", "num_steps"], "Input should be greater than or equal to 1", steps)
                {
                    Ctx = new Dictionary<string, object> { ["ge"] = 1 },
                });
            }
            else if (numSteps > MaxNumSteps)
            {
                errors.Add(new ValidationErrorItem("less_than_equal", ["body", "num_steps"], $"Input should be less than or equal to {MaxNumSteps}", steps)
                {
                    Ctx = new Dictionary<string, object> { ["le"] = MaxNumSteps },
                });
            }
        }

        if (duration is { } seconds && !(seconds > 0))
        {
            errors.Add(new ValidationErrorItem("greater_than", ["body", "duration_seconds"], "Input should be greater than 0", Value(form, "duration_seconds"))
            {
                Ctx = new Dictionary<string, object> { ["gt"] = 0.0 },
            });
        }
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
