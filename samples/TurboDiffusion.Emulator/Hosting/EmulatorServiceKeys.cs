namespace TurboDiffusion.Emulator;

/// <summary>Keys of the emulator's keyed services, so it never takes over a host's own registrations.</summary>
public static class EmulatorServiceKeys
{
    /// <summary>
    /// The <see cref="TimeProvider"/> behind timestamps, presigned-URL dates and expiry, and the
    /// simulated waits. Default <see cref="TimeProvider.System"/>; tests register a fake clock with
    /// <c>services.AddKeyedSingleton&lt;TimeProvider&gt;(EmulatorServiceKeys.Clock, fake)</c>.
    /// </summary>
    public const string Clock = "TurboDiffusion.Emulator.Clock";
}
