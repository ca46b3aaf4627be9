using Bunit;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.InputPanel;

public class InputPanelTests : StudioTestContext
{
    private static readonly PickedImage Cat = new("cat.png", "image/png", 1_572_864, 1280, 720, "blob-1",
        "data:image/jpeg;base64,AAAA", "blob:http://localhost/1");

    private IRenderedComponent<I2VStudio.Components.InputPanel> RenderPanel(Action<ComponentParameterCollectionBuilder<I2VStudio.Components.InputPanel>>? configure = null) =>
        Render<I2VStudio.Components.InputPanel>(p => configure?.Invoke(p));

    public static TheoryData<ImageProblemKind, int?, int?, string> Problems => new()
    {
        { ImageProblemKind.Empty, null, null, "empty.png: The file is empty." },
        { ImageProblemKind.NotImage, null, null, "empty.png: Only JPEG and PNG images are supported." },
        { ImageProblemKind.TooLarge, null, null, "empty.png: The file is larger than 20 MB." },
        { ImageProblemKind.TooManyPixels, 9000, 6000, "empty.png: The image is too large (9000 × 6000); the limit is 40 megapixels." },
        { ImageProblemKind.Unreadable, null, null, "empty.png: The image could not be read; the file may be damaged." },
        { ImageProblemKind.Unavailable, null, null, "empty.png: This image could not be loaded: it may have been deleted. Choose an image again." },
    };

    [Fact]
    public void DropZone_Rendered_IsARealButtonWithInstructions()
    {
        var cut = RenderPanel();

        var zone = cut.Find("button.drop-zone");
        Assert.Equal("button", zone.GetAttribute("type"));
        Assert.Contains("Drop an image here, click to choose, or paste", zone.TextContent, StringComparison.Ordinal);
        Assert.Equal("image/png,image/jpeg", cut.Find("input[type=file]").GetAttribute("accept"));
    }

    [Fact]
    public void FirstRender_AttachesTheIntakeToDropZoneAndFileInput()
    {
        RenderPanel();

        var attach = Assert.Single(JSInterop.Invocations, i => i.Identifier == "attach");
        Assert.Equal(4, attach.Arguments.Count);
    }

    [Fact]
    public async Task Dispose_AfterAttach_DetachesTheIntake()
    {
        RenderPanel();

        await DisposeComponentsAsync();

        Assert.Single(IntakeHandle.Invocations, i => i.Identifier == "detach");
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void ImageProblem_EachKind_ItsOwnMessage(ImageProblemKind kind, int? width, int? height, string expected)
    {
        var problem = new ImageProblem(kind, "empty.png", 0, width, height, new ImageLimits());

        var cut = RenderPanel(p => p.Add(c => c.ImageProblem, problem));

        var message = cut.Find("[data-part=image-problem]");
        Assert.Equal(expected, message.TextContent.Trim());
        Assert.Equal("alert", message.GetAttribute("role"));
    }

    [Fact]
    public void ImageProblem_WithImageAlreadyPicked_KeepsThePreview()
    {
        var problem = new ImageProblem(ImageProblemKind.NotImage, "anim.gif", 10, null, null, new ImageLimits());

        var cut = RenderPanel(p => p.Add(c => c.Image, Cat).Add(c => c.ImageProblem, problem));

        Assert.Equal("blob:http://localhost/1", cut.Find("img.preview").GetAttribute("src"));
        Assert.Contains("anim.gif: Only JPEG and PNG images are supported.", cut.Find("[data-part=image-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_Picked_ShowsPreviewNameSizeAndPixels()
    {
        var cut = RenderPanel(p => p.Add(c => c.Image, Cat));

        Assert.Equal("Preview of cat.png", cut.Find("img.preview").GetAttribute("alt"));
        Assert.Equal("cat.png", cut.Find(".file-name").TextContent);
        Assert.Equal("1.5 MB", cut.Find("[data-part=image-size]").TextContent);
        Assert.Equal("1280 × 720 px", cut.Find("[data-part=image-pixels]").TextContent);
    }

    [Fact]
    public void Image_SmallFile_SizeInKilobytes()
    {
        var cut = RenderPanel(p => p.Add(c => c.Image, Cat with { Size = 340 * 1024 }));

        Assert.Equal("340 KB", cut.Find("[data-part=image-size]").TextContent);
    }

    [Fact]
    public void Clear_Clicked_RaisesCleared()
    {
        var cleared = false;
        var cut = RenderPanel(p => p.Add(c => c.Image, Cat).Add(c => c.OnImageCleared, () => cleared = true));

        cut.Find("[data-action=clear-image]").Click();

        Assert.True(cleared);
    }

    [Fact]
    public void DragEnter_OverDropZone_Highlights()
    {
        var cut = RenderPanel();

        cut.Find("button.drop-zone").DragEnter();

        Assert.Contains("drag-over", cut.Find("button.drop-zone").ClassList);
    }

    [Fact]
    public void DragLeave_AfterEnter_RemovesHighlight()
    {
        var cut = RenderPanel();
        cut.Find("button.drop-zone").DragEnter();

        cut.Find("button.drop-zone").DragLeave();

        Assert.DoesNotContain("drag-over", cut.Find("button.drop-zone").ClassList);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Prompt_BlankAfterTyping_Refused(string prompt)
    {
        var cut = RenderPanel(p => p.Add(c => c.PromptChanged, _ => { }));
        cut.Find("textarea").Input("a cat");

        cut.Find("textarea").Input(prompt);

        Assert.Contains("Enter a prompt.", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_BlankBeforeTouch_NoMessageUntilValidationIsAsked()
    {
        var cut = RenderPanel();

        Assert.DoesNotContain("Enter a prompt.", cut.Markup, StringComparison.Ordinal);
        cut.Render(p => p.Add(c => c.ShowValidation, true));
        Assert.Contains("Enter a prompt.", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_Rendered_HasLabelHintCounterAndLimit()
    {
        var cut = RenderPanel(p => p.Add(c => c.Prompt, "a cat"));

        var textarea = cut.Find("textarea");
        Assert.Equal("8000", textarea.GetAttribute("maxlength"));
        Assert.Equal(textarea.Id, cut.Find("label[for]").GetAttribute("for"));
        Assert.Contains("Describe the motion and the camera", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
        Assert.Contains("5 / 8000", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_Typed_RaisesChange()
    {
        string? raised = null;
        var cut = RenderPanel(p => p.Add(c => c.PromptChanged, v => raised = v));

        cut.Find("textarea").Input("a cat\nwalks");

        Assert.Equal("a cat\nwalks", raised);
    }

    [Fact]
    public void PromptHistory_Empty_MenuDisabled()
    {
        var cut = RenderPanel();

        Assert.True(cut.FindComponent<MudBlazor.MudMenu>().Instance.Disabled);
    }

    [Fact]
    public void PromptHistory_Picked_RaisesThePrompt()
    {
        string? raised = null;
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var cut = RenderPanel(p => p
            .Add(c => c.PromptHistory, ["older prompt", "a dog runs\nin the rain"])
            .Add(c => c.PromptChanged, v => raised = v));

        cut.FindComponent<MudBlazor.MudMenu>().Find("button").Click();
        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll(".history-item").Count));
        popovers.FindComponents<MudBlazor.MudMenuItem>()[1].Find("div").Click();

        Assert.Equal("a dog runs\nin the rain", raised);
    }

    [Fact]
    public void ServerProblems_ForPromptAndImage_ShownOnThoseFields()
    {
        var cut = RenderPanel(p => p
            .Add(c => c.Prompt, "ok")
            .Add(c => c.ServerProblems, TestJobs.Problems(("prompt", "Field required"), ("image", "Field required"), ("seed", "Seed problem for another panel"))));

        Assert.Contains("Server: Field required", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Server: Field required", cut.Find("[data-part=image-server-problem]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Seed problem for another panel", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickedFromBrowser_Result_RaisedToTheOwner()
    {
        PickedImageResult? raised = null;
        var cut = RenderPanel(p => p.Add(c => c.OnImagePicked, r => raised = r));
        var attach = Assert.Single(JSInterop.Invocations, i => i.Identifier == "attach");
        var receiver = ((Microsoft.JSInterop.DotNetObjectReference<I2VStudio.Components.Browser.ImageIntake.Attachment>)attach.Arguments[2]!).Value;
        IntakeHandle.Setup<I2VStudio.Components.Browser.ImageIntake.AcceptResult>("accept", _ => true)
            .SetResult(new("data:image/jpeg;base64,AAAA", "blob:http://localhost/2"));

        IntakeHandle.Setup<Microsoft.JSInterop.IJSStreamReference>("head", "f1").SetResult(I2VStudio.Components.Tests.Support.FakeJSStream.Bytes(TestImages()));

        await cut.InvokeAsync(() => receiver.OnFile("f1", "cat.png", 1234));

        Assert.Equal("cat.png", raised?.Image?.FileName);
    }

    private static byte[] TestImages() => I2VStudio.Components.Tests.Imaging.TestImages.PngHeader(640, 480);
}
