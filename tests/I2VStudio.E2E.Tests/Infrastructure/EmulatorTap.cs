using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// A test-side tap in front of the emulator's own pipeline (an <see cref="IStartupFilter"/>, so the emulator's code is
/// untouched). It counts status GETs per job id — the emulator counts per route only —, can hold job POSTs (a slow
/// upload the test ends when it wants), and can play a proxy that
/// mangles the next job POST's Content-Type, so the emulator's real FastAPI-style validation answers a genuine 422
/// for the fields it then cannot find (<c>prompt</c>, <c>image</c>). The studio's own validation never lets such a
/// form out, so this is the honest way to get a server-side 422 through the UI.
/// </summary>
public sealed class EmulatorTap
{
    private static readonly string[] JobsPrefixes = ["/v1/turbodiffusion/jobs/", "/v1/videogen/jobs/"];
    private readonly ConcurrentDictionary<string, int> _getsByJob = new(StringComparer.Ordinal);
    private int _manglePosts;
    private TaskCompletionSource? _heldPosts;

    /// <summary>Status GETs the emulator received for <paramref name="jobId"/>.</summary>
    public int GetsFor(string jobId) => _getsByJob.TryGetValue(jobId, out var count) ? count : 0;

    /// <summary>The next <paramref name="count"/> job POSTs arrive without their multipart Content-Type.</summary>
    public void MangleNextPosts(int count) => Volatile.Write(ref _manglePosts, count);

    /// <summary>Job POSTs wait before they reach the emulator until <see cref="ReleasePosts"/> (a slow upload, on demand).</summary>
    public void HoldPosts() =>
        Interlocked.CompareExchange(ref _heldPosts, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Held POSTs go on, and later ones do not wait.</summary>
    public void ReleasePosts() => Interlocked.Exchange(ref _heldPosts, null)?.TrySetResult();

    public void Reset()
    {
        _getsByJob.Clear();
        Volatile.Write(ref _manglePosts, 0);
        ReleasePosts();
    }

    internal async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        var jobsPrefix = JobsPrefixes.FirstOrDefault(p => path.StartsWith(p, StringComparison.Ordinal));
        if (HttpMethods.IsGet(context.Request.Method) && jobsPrefix is not null)
        {
            _getsByJob.AddOrUpdate(Uri.UnescapeDataString(path[jobsPrefix.Length..]), 1, (_, n) => n + 1);
        }
        else if (HttpMethods.IsPost(context.Request.Method) && path.EndsWith("/jobs", StringComparison.Ordinal))
        {
            if (Volatile.Read(ref _heldPosts) is { } held)
            {
                await held.Task.WaitAsync(context.RequestAborted);
            }

            if (TakeMangle())
            {
                context.Request.ContentType = "application/octet-stream";
            }
        }

        await next();
    }

    private bool TakeMangle()
    {
        while (true)
        {
            var left = Volatile.Read(ref _manglePosts);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _manglePosts, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    internal sealed class StartupFilter(EmulatorTap tap) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) => tap.InvokeAsync(context, () => nextMiddleware(context)));
            next(app);
        };
    }
}
