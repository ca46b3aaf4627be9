namespace I2VStudio.Host.Hosting;

/// <summary>Which backend the host talks to, decided once at start-up.</summary>
/// <param name="ApiBaseUri">The job API's base URL (<c>TurboDiffusion:BaseUrl</c>).</param>
/// <param name="IsEmulator">True when the host started the local emulator because no backend was configured.</param>
/// <param name="StorageBaseUri">The emulator's storage origin (where its presigned video URLs point); null for a real backend.</param>
public sealed record BackendInfo(Uri ApiBaseUri, bool IsEmulator, Uri? StorageBaseUri);
