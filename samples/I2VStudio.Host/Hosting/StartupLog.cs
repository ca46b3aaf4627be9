namespace I2VStudio.Host.Hosting;

/// <summary>Start-up messages.</summary>
public static partial class StartupLog
{
    /// <summary>Says which backend the studio uses and where it runs.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "I2V Studio is using {Source} at {BaseUrl}, render mode {RenderMode}. Open /tools/i2v.")]
    public static partial void Started(ILogger logger, Uri baseUrl, string source, StudioRenderMode renderMode);
}
