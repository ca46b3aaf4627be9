using I2VStudio.Testing;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, launched once for the assembly (see <see cref="ChromiumFixture"/>). Assertions auto-wait
/// generously: a job renders a real video with ffmpeg on a 2-core machine.
/// </summary>
public sealed class BrowserFixture() : ChromiumFixture(Timeouts.Action, "the E2E tests");
