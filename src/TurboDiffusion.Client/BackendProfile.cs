namespace TurboDiffusion.Client;

/// <summary>Which version of the backend's API the client speaks (<c>TurboDiffusion:Profile</c>).</summary>
public enum BackendProfile
{
    /// <summary>
    /// Reads the backend's <c>GET /openapi.json</c> once and picks the profile from its routes (both versions report
    /// <c>info.version</c> "0.2.0", so only the route set tells them apart); detects again when a job route answers 404.
    /// </summary>
    Auto,

    /// <summary><c>/v1/turbodiffusion/*</c>, as served up to commit 322444e: status with the DB row, <c>output_url</c>.</summary>
    Legacy,

    /// <summary><c>/v1/videogen/*</c>, as served from commit 5b75d5f: seven-key status, <c>video_url</c>, capabilities.</summary>
    VideoGen,
}
