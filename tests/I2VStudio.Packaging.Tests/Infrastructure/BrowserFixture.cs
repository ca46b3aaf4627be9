using I2VStudio.Testing;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, launched once for the assembly (see <see cref="ChromiumFixture"/>). Assertions auto-wait 30 s:
/// a job renders a real video with ffmpeg, and a WebAssembly runtime boots, on a 2-core machine.
/// </summary>
public sealed class BrowserFixture() : ChromiumFixture(30_000, "these tests");
