using Microsoft.JSInterop;

namespace I2VStudio.Components;

/// <summary>Runs browser clean-up that may meet a closed circuit or page, where failing is expected and harmless.</summary>
internal static class JsSafe
{
    /// <summary>Runs <paramref name="cleanup"/>, ignoring the failures a lost circuit, a navigation or a prerender produce.</summary>
    public static async ValueTask DisposeQuietlyAsync(Func<ValueTask> cleanup)
    {
        try
        {
            await cleanup();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser dropped everything already.
        }
        catch (JSException)
        {
            // The page navigated away or the module never loaded.
        }
        catch (OperationCanceledException)
        {
            // Cancelled by a closing circuit.
        }
        catch (ObjectDisposedException)
        {
            // The JS runtime was disposed first.
        }
    }
}
