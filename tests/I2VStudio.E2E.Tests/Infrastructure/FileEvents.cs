using Microsoft.Playwright;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>Real drop and paste events carrying a file, built in the page (a DataTransfer holding a File).</summary>
internal static class FileEvents
{
    private const string MakeDataTransfer = """
        ([base64, name, type]) => {
          const binary = atob(base64);
          const bytes = new Uint8Array(binary.length);
          for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, { type }));
          return transfer;
        }
        """;

    /// <summary>Drags a file over <paramref name="target"/> and drops it: dragenter, dragover, drop.</summary>
    public static async Task DropAsync(IPage page, ILocator target, string name, string mimeType, byte[] content)
    {
        var transfer = await page.EvaluateHandleAsync(MakeDataTransfer, new object[] { Convert.ToBase64String(content), name, mimeType });
        foreach (var type in new[] { "dragenter", "dragover", "drop" })
        {
            await target.DispatchEventAsync(type, new { dataTransfer = transfer });
        }
    }

    /// <summary>Pastes a file where the focus is, as Ctrl+V with an image on the clipboard does (the event bubbles).</summary>
    public static async Task PasteAsync(IPage page, string name, string mimeType, byte[] content)
    {
        var transfer = await page.EvaluateHandleAsync(MakeDataTransfer, new object[] { Convert.ToBase64String(content), name, mimeType });
        await page.EvaluateAsync("""
            transfer => (document.activeElement || document.body).dispatchEvent(
              new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
            """, transfer);
    }
}
