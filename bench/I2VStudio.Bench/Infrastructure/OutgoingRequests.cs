using System.Diagnostics;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The HTTP requests this process sends (HttpClient's "System.Net.Http" activities): the host runs in the bench's
/// process, so its job POST to the backend is seen here with its start (wall clock, comparable with the page's
/// <c>performance.timeOrigin + performance.now()</c>) and its duration.
/// </summary>
public sealed class OutgoingRequests : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Request> _requests = [];

    public OutgoingRequests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                var request = new Request(activity.GetTagItem("http.request.method") as string ?? "",
                    activity.GetTagItem("url.full") as string ?? "", new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero), activity.Duration);
                lock (_requests) _requests.Add(request);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The last finished request matching <paramref name="match"/>, if any.</summary>
    public Request? Last(Func<Request, bool> match)
    {
        lock (_requests) return _requests.LastOrDefault(match);
    }

    public void Dispose() => _listener.Dispose();

    /// <param name="Method">The HTTP method.</param>
    /// <param name="Url">The full URL.</param>
    /// <param name="Start">When it was sent.</param>
    /// <param name="Duration">From sending to the response's headers (the body read is not in it).</param>
    public sealed record Request(string Method, string Url, DateTimeOffset Start, TimeSpan Duration);
}
