using System.Net.Http.Headers;

namespace TurboDiffusion.Emulator.Tests.Support;

/// <summary>Multipart bodies for the job POST, as a browser or the studio client sends them.</summary>
internal static class JobForms
{
    public static MultipartFormDataContent Create(
        string? prompt = "A lighthouse at dusk, waves rolling in",
        byte[]? image = null,
        string? fileName = "input.png",
        string? durationSeconds = null,
        params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (prompt is not null)
        {
            form.Add(new StringContent(prompt), "prompt");
        }

        if (fileName is not null)
        {
            var file = new ByteArrayContent(image ?? TestImages.Png(64, 36));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "image", fileName);
        }

        if (durationSeconds is not null)
        {
            form.Add(new StringContent(durationSeconds), "duration_seconds");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }
}
