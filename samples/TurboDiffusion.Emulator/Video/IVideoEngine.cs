namespace TurboDiffusion.Emulator;

/// <summary>
/// Turns a job's input image into its output video. The default is <see cref="FfmpegVideoEngine"/>,
/// a CPU stand-in for the diffusion model; register another implementation to replace it.
/// </summary>
public interface IVideoEngine
{
    /// <summary>What the engine is, for <c>/v1/turbodiffusion/models</c> and the start-up log.</summary>
    VideoEngineInfo Describe();

    /// <summary>Renders <see cref="VideoRenderRequest.ImagePath"/> into <see cref="VideoRenderRequest.OutputPath"/>.</summary>
    /// <exception cref="VideoRenderException">The job fails with this message (undecodable image, engine missing, …).</exception>
    Task RenderAsync(VideoRenderRequest request, CancellationToken cancellationToken);
}

/// <summary>An engine's self-description.</summary>
/// <param name="Name">Short name, e.g. <c>ffmpeg-kenburns</c>.</param>
/// <param name="StandIn">True when the engine is not the real model.</param>
/// <param name="Description">One honest sentence about what it renders.</param>
/// <param name="Available">False when the engine cannot run here (then <paramref name="Problem"/> says why).</param>
/// <param name="Problem">Why it cannot run and how to fix it; null when available.</param>
public sealed record VideoEngineInfo(string Name, bool StandIn, string Description, bool Available, string? Problem);

/// <summary>One render.</summary>
/// <param name="ImagePath">The worker's local copy of the uploaded image (any bytes: the API checks nothing).</param>
/// <param name="OutputPath">Where the MP4 goes.</param>
/// <param name="InputName">The input's object key, used in error messages instead of the scratch path.</param>
/// <param name="Prompt">The prompt (a stand-in may ignore it).</param>
/// <param name="Seed">The seed; the same seed gives the same video.</param>
/// <param name="FrameCount">Frames to render.</param>
/// <param name="Fps">Frames per second.</param>
public sealed record VideoRenderRequest(string ImagePath, string OutputPath, string InputName, string Prompt, long Seed, int FrameCount, int Fps);

/// <summary>A render failed in a way the job reports as its error (the text becomes Celery's <c>error</c>).</summary>
public sealed class VideoRenderException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public VideoRenderException()
    {
    }

    /// <summary>Creates the exception with the job's error text.</summary>
    public VideoRenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the job's error text and its cause.</summary>
    public VideoRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
