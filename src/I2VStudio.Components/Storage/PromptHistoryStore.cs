using I2VStudio.Components.Browser;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Storage;

/// <summary>
/// The last distinct prompts (50 by default), most recent first, in <c>localStorage</c>. Each add re-reads the
/// stored list first, so two tabs adding prompts lose at most a simultaneous write, never the history.
/// </summary>
public sealed class PromptHistoryStore : IAsyncDisposable
{
    /// <summary>The localStorage key.</summary>
    public const string Key = "i2v.prompts.v1";

    private readonly JsModule _module;
    private readonly int _size;

    /// <summary>Creates the store.</summary>
    public PromptHistoryStore(IJSRuntime js, IOptions<BrowserStorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(options);
        _module = new JsModule(js, BrowserJobStore.ModuleFile);
        _size = options.Value.PromptHistorySize;
    }

    /// <summary>The stored prompts, most recent first. Empty when nothing (readable) is stored.</summary>
    public async Task<IReadOnlyList<string>> LoadAsync(CancellationToken cancellationToken)
    {
        var prompts = await _module.ReadAsync<string?[]>(Key, BrowserJobStore.MaxReadBytes, null, cancellationToken).ConfigureAwait(false);
        return prompts is null
            ? []
            : [.. prompts.OfType<string>().Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).Take(_size)];
    }

    /// <summary>Puts <paramref name="prompt"/> first (moving it if already there) and keeps the newest distinct ones.</summary>
    public async Task AddAsync(string prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (string.IsNullOrWhiteSpace(prompt)) return;

        var current = await LoadAsync(cancellationToken).ConfigureAwait(false);
        string[] next = [prompt, .. current.Where(p => !string.Equals(p, prompt, StringComparison.Ordinal)).Take(_size - 1)];
        await _module.WriteAsync(Key, next, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();
}
