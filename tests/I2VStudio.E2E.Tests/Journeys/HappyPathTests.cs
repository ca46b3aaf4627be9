using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 1: pick, prompt, Generate, watch the badges move, play the video, download it.</summary>
[Collection(SharedStudio.Name)]
public sealed class HappyPathTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    private const string TwoLinePrompt = "A lighthouse at dusk, waves rolling in\nslow dolly-in, warm light";

    /// <summary>
    /// While the image uploads, what moves on the page moves by transform or opacity only (the compositor's work, no
    /// repaint each frame), and what the click changes (the button, the cards, the drop zone) changes without a
    /// transition: on 2 cores the repaints took the upload's CPU (bench scenario 3).
    /// </summary>
    [Fact]
    public async Task Generate_WhileTheUploadIsOut_NothingRepaintsFrameByFrame()
    {
        await Ui.OpenAsync();
        await Ui.PickPngAsync("still.png", TestImages.Png(480, 272), 480, 272);
        await Ui.FillPromptAsync("A still lake");
        Emulator.Tap.HoldPosts();
        var card = await Ui.GenerateAsync();
        await Expect(card).ToContainTextAsync("Submitting");
        await Expect(Page.Locator("[data-part=submit-spinner]")).ToBeVisibleAsync();
        await KeepScreenshotAsync("submitting");

        var moving = await Page.EvaluateAsync<string[]>("""
            () => document.getAnimations().filter(a => a.playState === 'running').flatMap(a => {
              const what = a.constructor.name + ' ' + (a.animationName ?? a.transitionProperty) + ' on ' + a.effect.target.className;
              const props = a instanceof CSSTransition ? [a.transitionProperty] : a.effect.getKeyframes().flatMap(k => Object.keys(k))
                .filter(p => !['offset', 'computedOffset', 'easing', 'composite'].includes(p));
              return props.every(p => p === 'transform' || p === 'opacity') ? [] : [what + ': ' + props.join(', ')];
            })
            """);
        var transitioned = await Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-action=generate], .job-card, .drop-zone')]
              .filter(e => getComputedStyle(e).transitionDuration.split(',').some(d => parseFloat(d) > 0))
              .map(e => e.tagName + '.' + e.className)
            """);
        var layered = await LayeredElementsAsync();
        Emulator.Tap.ReleasePosts();
        await Ui.SelectedJobIdAsync();

        Assert.Empty(moving);
        Assert.Empty(transitioned);
        // The spinner turns inside a clipping box: unclipped, Chromium assumed it might overlap everything painted after
        // it and gave each job card, the track field and more a composited layer of its own, each rastered afresh in
        // the upload's window (bench scenario 3 saw 15 new layers).
        Assert.Contains(layered, e => e.Contains("submit-spinner", StringComparison.Ordinal));
        Assert.DoesNotContain(layered, e => e.Contains("card-main", StringComparison.Ordinal) || e.Contains("track-input", StringComparison.Ordinal));
    }

    /// <summary>The class attributes of the elements Chromium gives a composited layer of their own, now.</summary>
    private async Task<List<string>> LayeredElementsAsync()
    {
        var cdp = await Page.Context.NewCDPSessionAsync(Page);
        var layers = new TaskCompletionSource<System.Text.Json.JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event("LayerTree.layerTreeDidChange").OnEvent += (_, e) =>
        {
            // The first report after enabling can be empty (the tree not pushed yet): wait for one that names elements.
            if (e is { } args && args.TryGetProperty("layers", out var list)
                && list.EnumerateArray().Any(l => l.TryGetProperty("backendNodeId", out System.Text.Json.JsonElement _)))
            {
                layers.TrySetResult(list.Clone());
            }
        };
        try
        {
            await cdp.SendAsync("DOM.getDocument", new Dictionary<string, object> { ["depth"] = 0 });
            await cdp.SendAsync("LayerTree.enable");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!layers.Task.IsCompleted && DateTime.UtcNow < deadline)
            {
                // A 1 px box that comes and goes makes the page commit a frame, which reports the layer tree again.
                await Page.EvaluateAsync("""
                    () => { const d = document.createElement('div'); d.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px';
                            document.body.appendChild(d); requestAnimationFrame(() => requestAnimationFrame(() => d.remove())); }
                    """);
                await Task.WhenAny(layers.Task, Task.Delay(200, Ct));
            }

            var classes = new List<string>();
            foreach (var layer in (await layers.Task.WaitAsync(TimeSpan.FromSeconds(1), Ct)).EnumerateArray())
            {
                if (!layer.TryGetProperty("backendNodeId", out var nodeId)) continue;
                var described = await cdp.SendAsync("DOM.describeNode", new Dictionary<string, object> { ["backendNodeId"] = nodeId.GetInt32() });
                var node = described!.Value.GetProperty("node");
                var attributes = node.TryGetProperty("attributes", out var a) ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
                var at = attributes.IndexOf("class");
                classes.Add(node.GetProperty("nodeName").GetString() + (at >= 0 && at + 1 < attributes.Count ? "." + attributes[at + 1] : ""));
            }

            return classes;
        }
        finally
        {
            await cdp.DetachAsync();
        }
    }

    [Fact]
    public async Task Generate_PngAndTwoLinePrompt_CardMovesThroughStatesVideoPlaysAndDownloads()
    {
        await Ui.OpenAsync();
        await Ui.PickPngAsync("lighthouse.png", TestImages.Png(480, 272), 480, 272);
        await Ui.FillPromptAsync(TwoLinePrompt);
        await Ui.Seed.FillAsync("42");

        // The worker is busy with another job, so this one is queued (PENDING) for as long as the test says.
        await Emulator.OccupyWorkerAsync(Ct);
        // The upload is held before it reaches the backend: the card must not wait for the POST's answer.
        Emulator.Tap.HoldPosts();
        var card = await Ui.GenerateAsync();

        // The card is there at once, while the POST is still out; its title is the prompt's first line.
        await Expect(card).ToContainTextAsync("Submitting");
        await Expect(card).ToContainTextAsync("A lighthouse at dusk, waves rolling in");
        await Expect(card).Not.ToContainTextAsync("slow dolly-in");
        Emulator.Tap.ReleasePosts();
        await StudioPage.ExpectCeleryAsync(card, "PENDING", timeout: Timeouts.Job);
        Emulator.Render.Release();
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(StudioPage.DbBadge(card)).ToHaveAttributeAsync("data-state", "SUCCEEDED");
        await Expect(card).ToContainTextAsync("Done");

        var history = await Ui.BadgeHistoryAsync();
        Assert.Equal(["PENDING", "STARTED", "SUCCESS"], history.Celery);
        Assert.Equal("SUBMITTED", history.Db[0]);
        Assert.Contains("RUNNING", history.Db);
        Assert.Equal("SUCCEEDED", history.Db[^1]);

        var video = await Ui.WaitForPlayableVideoAsync();
        Assert.True(video.ReadyState >= 2);
        Assert.InRange(video.Duration, 4.9, 5.2); // 81 frames at 16 fps = 5.06 s
        Assert.True(video.VideoWidth > 0);
        Assert.StartsWith(Emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority), video.Src, StringComparison.Ordinal);
        // And it really plays (muted, as a page may play without sound).
        await Ui.Video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await Page.WaitForFunctionAsync("() => document.querySelector('.result-panel video').currentTime > 1");
        await Ui.Video.EvaluateAsync("v => v.pause()");

        var download = await Page.RunAndWaitForDownloadAsync(() => Ui.ResultButton("Download").ClickAsync());
        Assert.Matches(@"^i2v_\d{4}-\d{2}-\d{2}_\d{4}_seed42_4steps\.mp4$", download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        var path = await download.PathAsync();
        var head = new byte[12];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(head, Ct);
        }

        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(head, 4, 4));
        Assert.True(new FileInfo(path).Length > 10_000);
    }
}
