namespace I2VStudio.Host.Components;

/// <summary>
/// What the server knows about the host and hands to the interactive part (wherever it runs): whether the backend is
/// the embedded emulator, and the backend's address (behind the same-origin proxy when the studio runs in the browser).
/// </summary>
/// <param name="IsEmulator">True when the host started the local emulator because no backend was configured.</param>
/// <param name="BackendUrl">The backend's base URL, for the diagnostics page.</param>
public sealed record HostInfo(bool IsEmulator, string BackendUrl);
