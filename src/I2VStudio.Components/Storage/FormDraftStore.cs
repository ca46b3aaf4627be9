using System.Text.Json;
using System.Text.Json.Serialization;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Storage;

/// <summary>
/// The form as the user left it — prompt, parameters and which stored image was picked — in <c>localStorage</c> under
/// a versioned key, so a reload restores it. The image itself stays in IndexedDB (<see cref="BrowserBlobStore"/>);
/// the draft holds its key and the small facts the form shows. A missing, corrupt or other-version draft reads as
/// none; a write that fails (storage full or unavailable) is dropped: the draft is a convenience.
/// </summary>
internal sealed class FormDraftStore : IAsyncDisposable
{
    /// <summary>The localStorage key.</summary>
    public const string Key = "i2v.draft.v1";

    /// <summary>The format version written inside the value.</summary>
    internal const int Version = 1;

    // A prompt is at most a few thousand characters and the thumbnail ≤ 20 KB; anything far larger is not ours.
    private const long MaxReadBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly JsModule _module;

    /// <summary>Creates the store.</summary>
    public FormDraftStore(IJSRuntime js)
    {
        ArgumentNullException.ThrowIfNull(js);
        _module = new JsModule(js, BrowserJobStore.ModuleFile);
    }

    /// <summary>The stored draft, or null when there is none (or it cannot be read).</summary>
    public async Task<FormDraft?> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await _module.ReadAsync<StoredDraft>(Key, MaxReadBytes, Json, cancellationToken).ConfigureAwait(false);
        return stored is { V: Version } ? stored.ToDraft() : null;
    }

    /// <summary>Writes <paramref name="draft"/>, replacing the previous one.</summary>
    public async Task SaveAsync(FormDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await _module.WriteAsync(Key, StoredDraft.From(draft), Json, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();

    // The stored shape: every member optional, so a partly written or hand-edited value still reads.
    private sealed record StoredDraft
    {
        public int V { get; init; }
        public string? Prompt { get; init; }
        public int? NumSteps { get; init; }
        public string? Seed { get; init; }
        public bool? Quantized { get; init; }
        public double? DurationSeconds { get; init; }
        public bool? EnhancePrompt { get; init; }
        public StoredImage? Image { get; init; }

        public static StoredDraft From(FormDraft draft) => new()
        {
            V = Version,
            Prompt = draft.Prompt,
            NumSteps = draft.NumSteps,
            Seed = draft.SeedText,
            Quantized = draft.Quantized,
            DurationSeconds = draft.DurationSeconds,
            EnhancePrompt = draft.EnhancePrompt,
            Image = draft.Image is { } image
                ? new StoredImage(image.FileName, image.ContentType, image.Size, image.Width, image.Height, image.BlobKey, image.ThumbnailDataUrl)
                : null,
        };

        public FormDraft ToDraft() => new()
        {
            Prompt = Prompt ?? "",
            NumSteps = NumSteps,
            SeedText = Seed,
            Quantized = Quantized,
            DurationSeconds = DurationSeconds,
            EnhancePrompt = EnhancePrompt,
            Image = Image is { BlobKey: { Length: > 0 } key, FileName: { } name, ContentType: { } type } image
                ? new FormDraftImage(name, type, image.Size, image.Width, image.Height, key, image.ThumbnailDataUrl ?? "")
                : null,
        };
    }

    private sealed record StoredImage(string? FileName, string? ContentType, long Size, int Width, int Height, string? BlobKey,
        string? ThumbnailDataUrl);
}

/// <summary>The studio form as the user left it.</summary>
internal sealed record FormDraft
{
    /// <summary>The prompt as typed.</summary>
    public string Prompt { get; init; } = "";

    /// <summary>Sampling steps, or null to keep the default.</summary>
    public int? NumSteps { get; init; }

    /// <summary>The seed as typed (it may be invalid; the form says so), or null to keep the default.</summary>
    public string? SeedText { get; init; }

    /// <summary>Quantized weights, or null to keep the default.</summary>
    public bool? Quantized { get; init; }

    /// <summary>The clip length in seconds (VideoGen), or null to keep the default.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Whether the backend's LLM should rewrite the prompt (VideoGen), or null to keep the default (off).</summary>
    public bool? EnhancePrompt { get; init; }

    /// <summary>The picked image (stored in IndexedDB), or null.</summary>
    public FormDraftImage? Image { get; init; }
}

/// <summary>The facts of a picked image the form shows; the image itself is in IndexedDB under <paramref name="BlobKey"/>.</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="ContentType"><c>image/png</c> or <c>image/jpeg</c>, judged from its bytes.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="BlobKey">Key of the original in IndexedDB.</param>
/// <param name="ThumbnailDataUrl">The ≤ 20 KB thumbnail.</param>
internal sealed record FormDraftImage(string FileName, string ContentType, long Size, int Width, int Height, string BlobKey,
    string ThumbnailDataUrl)
{
    /// <summary>The draft's facts of a picked image.</summary>
    public static FormDraftImage From(PickedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new(image.FileName, image.ContentType, image.Size, image.Width, image.Height, image.BlobKey, image.ThumbnailDataUrl);
    }

    /// <summary>The picked image again, shown through <paramref name="previewUrl"/> (a fresh <c>blob:</c> URL).</summary>
    public PickedImage ToPickedImage(string previewUrl) =>
        new(FileName, ContentType, Size, Width, Height, BlobKey, ThumbnailDataUrl, previewUrl);
}
