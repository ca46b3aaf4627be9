namespace I2VStudio.Testing;

/// <summary>
/// How a browser test knows the studio page is interactive: the image intake adds the document's <c>paste</c>
/// listener last when it wires itself, which is the moment a picked, dropped or pasted file will be heard. Shared as
/// source by the E2E and packaging tests (the bench's probe script records the same moment with a timestamp).
/// </summary>
internal static class StudioInteractive
{
    /// <summary>An init script (runs before the page's own scripts) that sets <c>window.__i2vIntakeReady</c> at that moment.</summary>
    public const string InitScript = """
        (() => {
          const add = EventTarget.prototype.addEventListener;
          EventTarget.prototype.addEventListener = function (type, listener, options) {
            if (type === 'paste' && this === document) window.__i2vIntakeReady = true;
            return add.call(this, type, listener, options);
          };
        })();

        """;

    /// <summary>The function to wait for (<c>WaitForFunctionAsync</c>) after navigating.</summary>
    public const string ReadyFunction = "() => window.__i2vIntakeReady === true";
}
