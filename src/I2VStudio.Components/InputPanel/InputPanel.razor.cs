using I2VStudio.Components.Resources;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>
/// The image and the prompt. The drop zone is a real button: click, drop or paste (Ctrl+V / ⌘V) a JPEG or PNG;
/// the image is judged by its first bytes before anything is uploaded and a refused file says why without losing
/// the image already picked. Shows the preview, file name, size and pixel dimensions, and Clear. The prompt is
/// multi-line with a counter, required, and has a menu of recent prompts. Every value is bound by the owner.
/// </summary>
public sealed partial class InputPanel : IAsyncDisposable
{
    private readonly string _headingId = "input-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _promptId = "prompt-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _imageStatusId = "image-status-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new();
    private ElementReference _dropZone;
    private ElementReference _fileInput;
    private IAsyncDisposable? _attachment;
    private int _dragDepth;
    private bool _promptTouched;
    private bool _disposed;

    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;
    [Inject] private ImageIntake Intake { get; set; } = default!;
    [Inject] private IOptions<ImageLimits> LimitOptions { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> StudioOptions { get; set; } = default!;

    /// <summary>The picked image, or null. Default null.</summary>
    [Parameter] public PickedImage? Image { get; set; }

    /// <summary>Why the last pick was refused, or null. Default null.</summary>
    [Parameter] public ImageProblem? ImageProblem { get; set; }

    /// <summary>Raised for every pick (click, drop or paste): an accepted image or a problem.</summary>
    [Parameter] public EventCallback<PickedImageResult> OnImagePicked { get; set; }

    /// <summary>Raised by Clear.</summary>
    [Parameter] public EventCallback OnImageCleared { get; set; }

    /// <summary>The prompt. Default empty.</summary>
    [Parameter] public string Prompt { get; set; } = "";

    /// <summary>Raised on every keystroke in the prompt and when a recent prompt is picked.</summary>
    [Parameter] public EventCallback<string> PromptChanged { get; set; }

    /// <summary>Recent prompts, newest first. Default none.</summary>
    [Parameter] public IReadOnlyList<string> PromptHistory { get; set; } = [];

    /// <summary>Problems the backend reported by field (422); this panel shows those for prompt and image. Default none.</summary>
    [Parameter] public IReadOnlyList<FieldProblem>? ServerProblems { get; set; }

    /// <summary>Show the prompt's validation message even before the user has typed (after a submit attempt). Default false.</summary>
    [Parameter] public bool ShowValidation { get; set; }

    /// <summary>Disables every input. Default false.</summary>
    [Parameter] public bool Disabled { get; set; }

    private ImageLimits Limits => LimitOptions.Value;

    private int PromptMaxLength => StudioOptions.Value.PromptMaxLength;

    private string? PromptError
    {
        get
        {
            if ((_promptTouched || ShowValidation) && I2VFormRules.PromptProblem(Prompt, PromptMaxLength) is { } key)
                return key == "error.prompt_too_long" ? L[key, PromptMaxLength] : L[key];
            return ServerText("prompt");
        }
    }

    private string? ImageServerError => ServerText("image");

    private string? ImageProblemText => ImageProblem is { } problem ? DescribeProblem(problem, L) : null;

    /// <summary>The message for a refused image, in the current language, starting with the file's name.</summary>
    internal static string DescribeProblem(ImageProblem problem, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(localizer);
        string text = problem.Kind switch
        {
            ImageProblemKind.Empty => localizer["error.empty_file"],
            ImageProblemKind.Unavailable => localizer["error.image_unavailable"],
            ImageProblemKind.NotImage => localizer["error.not_image"],
            ImageProblemKind.TooLarge => localizer["error.too_large", StudioFormat.FileSize(problem.Limits.MaxBytes)],
            ImageProblemKind.TooManyPixels => localizer["error.too_many_pixels", problem.Width ?? 0, problem.Height ?? 0,
                problem.Limits.MaxMegapixels.ToString("0.##", System.Globalization.CultureInfo.CurrentCulture)],
            _ => localizer["error.unreadable"],
        };
        return string.IsNullOrEmpty(problem.FileName) ? text : StudioFormat.LabelValue(problem.FileName, text);
    }

    private string? ServerText(string field)
    {
        var messages = ServerProblems?.Where(p => p.Field == field).Select(p => p.Message).ToList();
        return messages is { Count: > 0 } ? L["error.server_said", StudioFormat.JoinSentences(messages)].Value : null;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            var attachment = await Intake.AttachAsync(_dropZone, _fileInput, OnPickedFromBrowserAsync, _cts.Token);
            if (_disposed)
            {
                // Disposed while attaching: release at once.
                await JsSafe.DisposeQuietlyAsync(attachment.DisposeAsync);
                return;
            }
            _attachment = attachment;
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away during the first render.
        }
        catch (OperationCanceledException)
        {
            // Disposed during the first render.
        }
    }

    private Task OnPickedFromBrowserAsync(PickedImageResult result) =>
        InvokeAsync(async () =>
        {
            _dragDepth = 0;
            await OnImagePicked.InvokeAsync(result);
        });

    private void OnDragEnter(DragEventArgs args) => _dragDepth++;

    private void OnDragLeave(DragEventArgs args) => _dragDepth = Math.Max(0, _dragDepth - 1);

    private void OnDrop(DragEventArgs args) => _dragDepth = 0;

    private Task OnClearAsync() => OnImageCleared.InvokeAsync();

    private Task OnPromptChangedAsync(string? value)
    {
        _promptTouched = true;
        return PromptChanged.InvokeAsync(value ?? "");
    }

    private void OnPromptBlur(FocusEventArgs args) => _promptTouched = true;

    private Task OnPromptPickedAsync(string prompt)
    {
        _promptTouched = true;
        return PromptChanged.InvokeAsync(prompt);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _cts.CancelAsync();
        _cts.Dispose();
        if (_attachment is { } attachment)
        {
            _attachment = null;
            await JsSafe.DisposeQuietlyAsync(attachment.DisposeAsync);
        }
    }
}
