using System.Globalization;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>
/// The language a page renders in, captured on its circuit. A host-wide service (the take runner, a batch) calls its
/// listeners on its own threads, in the process's language, and work a page hands to <c>InvokeAsync</c> from there runs
/// in the caller's culture: a zh-CN page would re-render in English. <see cref="Around"/> puts the page's back.
/// </summary>
internal readonly record struct CircuitCulture(CultureInfo Culture, CultureInfo UICulture)
{
    /// <summary>The culture of the code running now (call it on the circuit, e.g. in a lifecycle method).</summary>
    public static CircuitCulture Current => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary><paramref name="work"/>, run in this culture. Async, so the caller's own culture is left as it was.</summary>
    public Func<Task> Around(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (culture, uiCulture) = (Culture, UICulture);
        return async () =>
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
            await work();
        };
    }
}
