using System.Text.Json;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests;

/// <summary>The studio's form as a plain class: no Blazor, no browser.</summary>
public sealed class I2VFormStateTests
{
    private static readonly PickedImage Cat = new("cat.png", "image/png", 123_456, 1280, 720, "blob-cat",
        "data:image/jpeg;base64,AAAA", "blob:http://localhost/cat");

    private static readonly BackendFeatures Legacy = new(BackendProfile.Legacy);

    private static readonly BackendFeatures VideoGen = new(BackendProfile.VideoGen);

    private static readonly BackendFeatures VideoGenWithLlm = new(BackendProfile.VideoGen, new CapabilitiesResponse
    {
        Capabilities = new Dictionary<string, CapabilityStatus> { ["llm"] = new() { Status = "available" } },
    });

    private static I2VFormState Filled(I2VStudioOptions? options = null)
    {
        var form = new I2VFormState(options ?? new I2VStudioOptions());
        form.PickImage(new PickedImageResult(Cat, null));
        form.SetPrompt("a cat walks");
        return form;
    }

    private static string[] Keys(I2VFormState form, BackendFeatures? backend) => [.. form.BlockingProblems(backend).Select(p => p.Key)];

    [Fact]
    public void New_ConfiguredDefaults()
    {
        var form = new I2VFormState(new I2VStudioOptions { DefaultNumSteps = 2, DefaultQuantized = false, DefaultDurationSeconds = 3 });

        Assert.Equal((2, false, 3.0, "0", false), (form.NumSteps, form.Quantized, form.DurationSeconds, form.SeedText, form.Touched));
    }

    [Fact]
    public void Empty_BlockedByImageThenPromptInFormOrder()
    {
        var form = new I2VFormState(new I2VStudioOptions());

        Assert.Equal(["error.image_required", "error.prompt_required"], Keys(form, null));
    }

    [Fact]
    public void PromptTooLong_ProblemCarriesTheMaximum()
    {
        var form = Filled(new I2VStudioOptions { PromptMaxLength = 5 });

        var problem = Assert.Single(form.BlockingProblems(null));

        Assert.Equal("error.prompt_too_long", problem.Key);
        Assert.Equal([5], problem.Arguments);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("2147483648")]
    [InlineData("1.5")]
    public void BadSeed_Blocked(string seed)
    {
        var form = Filled();

        form.SetSeedText(seed);

        Assert.Equal(["error.seed_range"], Keys(form, null));
    }

    [Fact]
    public void BadDuration_BlocksOnlyOnABackendThatTakesIt()
    {
        var form = Filled();

        form.SetDurationSeconds(0.7);

        Assert.Empty(Keys(form, Legacy));
        Assert.Equal(["error.duration_range"], Keys(form, VideoGen));
        Assert.Equal([10.0], form.BlockingProblems(VideoGen)[0].Arguments);
    }

    [Fact]
    public void RefusedFile_KeepsThePickedImageAndTheReason()
    {
        var form = Filled();
        var refused = new ImageProblem(ImageProblemKind.Empty, "zero.png", 0, null, null, new ImageLimits());

        var changed = form.PickImage(new PickedImageResult(null, refused));

        Assert.False(changed);
        Assert.Equal(Cat, form.Image);
        Assert.Equal(refused, form.ImageProblem);
    }

    [Fact]
    public void ClearImage_RemovesImageAndReason()
    {
        var form = Filled();

        form.ClearImage();

        Assert.Null(form.Image);
        Assert.Contains("error.image_required", Keys(form, null));
    }

    [Fact]
    public void TryBuildRequest_Invalid_NullAndShowsValidation()
    {
        var form = new I2VFormState(new I2VStudioOptions());

        Assert.Null(form.TryBuildRequest(null));
        Assert.True(form.ShowValidation);
    }

    [Fact]
    public void TryBuildRequest_Legacy_InputsAndParamsWithoutDurationOrEnhancement()
    {
        var form = Filled();
        form.SetSeedText(" 42 ");
        form.SetEnhancePrompt(true);

        var request = form.TryBuildRequest(Legacy);

        Assert.NotNull(request);
        Assert.Equal("i2v", request.JobType);
        Assert.Equal(("a cat walks", "blob-cat", "cat.png", 1280, "data:image/jpeg;base64,AAAA"),
            (request.Inputs.Prompt, request.Inputs.ImageBlobKey, request.Inputs.ImageName, request.Inputs.ImageWidth, request.Inputs.ThumbnailDataUrl));
        Assert.Equal(new I2VParams { Seed = 42, NumSteps = 4, Quantized = true }, I2VParams.FromJson(request.Params));
        Assert.False(form.ShowValidation);
    }

    [Fact]
    public void TryBuildRequest_VideoGenWithoutLlm_DurationButNoEnhancement()
    {
        var form = Filled();
        form.SetEnhancePrompt(true);

        var parameters = I2VParams.FromJson(form.TryBuildRequest(VideoGen)!.Params);

        Assert.Equal((5.0, false), (parameters.DurationSeconds, parameters.EnhancePrompt));
    }

    [Fact]
    public void TryBuildRequest_VideoGen_SendsDurationAndEnhancement()
    {
        var form = Filled();
        form.SetDurationSeconds(7.5);
        form.SetEnhancePrompt(true);

        var parameters = I2VParams.FromJson(form.TryBuildRequest(VideoGenWithLlm)!.Params);

        Assert.Equal((7.5, true), (parameters.DurationSeconds, parameters.EnhancePrompt));
    }

    [Fact]
    public void Restore_UntouchedForm_TakesTheDraftAndDropsOutOfRangeValues()
    {
        var form = new I2VFormState(new I2VStudioOptions());

        form.Restore(new FormDraft { Prompt = "from the draft", NumSteps = 9, SeedText = "77", Quantized = false, DurationSeconds = 99, EnhancePrompt = true }, Cat);

        Assert.Equal(("from the draft", 4, "77", false, 5.0, true, Cat),
            (form.Prompt, form.NumSteps, form.SeedText, form.Quantized, form.DurationSeconds, form.EnhancePrompt, form.Image));
    }

    [Fact]
    public void Restore_AfterTheUserTyped_TheUserWins()
    {
        var form = new I2VFormState(new I2VStudioOptions());
        form.SetPrompt("typed while loading");

        form.Restore(new FormDraft { Prompt = "from the draft", NumSteps = 2 }, Cat);

        Assert.Equal(("typed while loading", 4, (PickedImage?)null), (form.Prompt, form.NumSteps, form.Image));
    }

    [Fact]
    public void ToDraft_RoundTripsThroughRestore()
    {
        var form = Filled();
        form.SetNumSteps(2);
        form.SetSeedText("5");
        form.SetQuantized(false);
        var draft = form.ToDraft();

        var again = new I2VFormState(new I2VStudioOptions());
        again.Restore(draft, draft.Image!.ToPickedImage(Cat.PreviewUrl));

        Assert.Equal(JsonSerializer.Serialize(draft), JsonSerializer.Serialize(again.ToDraft()));
        Assert.Equal("blob-cat", draft.Image.BlobKey);
    }
}
