using Microsoft.AspNetCore.Http;

namespace TurboDiffusion.Emulator;

/// <summary><c>/v1/turbodiffusion/models</c>, <c>/health</c> and <c>/paths</c>.</summary>
internal static class InfoApi
{
    private const string ModelName = "TurboWan2.2-I2V-A14B-720P";

    public static IResult Health() => ApiJson.Json(new HealthResponse("ok"));

    public static IResult Paths(EmulatorPaths paths) =>
        ApiJson.Json(new PathsResponse(paths.ModelsDirectory, paths.DataDirectory, paths.LogsDirectory));

    /// <summary>The four real weight files, where this machine would keep them (absent: exists false), and the engine that stands in for them.</summary>
    public static IResult Models(EmulatorPaths paths, IVideoEngine engine)
    {
        var root = Path.Combine(paths.ModelsDirectory, "turbodiffusion");
        var vae = Path.Combine(root, "checkpoints", "Wan2.1_VAE.pth");
        var textEncoder = Path.Combine(root, "checkpoints", "models_t5_umt5-xxl-enc-bf16.pth");
        var high = Path.Combine(root, ModelName, "TurboWan2.2-I2V-A14B-high-720P-quant.pth");
        var low = Path.Combine(root, ModelName, "TurboWan2.2-I2V-A14B-low-720P-quant.pth");
        ModelFile[] files =
        [
            File("base", vae),
            File("base", textEncoder),
            File("dit", high),
            File("dit", low),
        ];
        var info = engine.Describe();
        return ApiJson.Json(new ModelsResponse(
            root,
            [new ModelEntry(ModelName, Quantized: true, files, new ModelPaths(vae, textEncoder, high, low))],
            new EngineView(info.Name, info.StandIn, info.Description, info.Available, info.Problem)));

        static ModelFile File(string group, string path) => new(System.IO.Path.GetFileName(path), group, path, System.IO.File.Exists(path));
    }
}
