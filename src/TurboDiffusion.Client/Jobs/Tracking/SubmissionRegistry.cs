namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// The POSTs this tracker has in flight, by record id, each with the request it sends: a second equal request (a
/// double click) joins the first one's completion instead of making a second job, and a stored Submitting record
/// nobody here is posting can be told from one that is. Not thread-safe: the tracker uses it under its gate.
/// </summary>
internal sealed class SubmissionRegistry
{
    private readonly Dictionary<string, Pending> _byId = new(StringComparer.Ordinal);

    /// <summary>How many POSTs are in flight.</summary>
    public int Count => _byId.Count;

    /// <summary>True while the record's POST runs here.</summary>
    public bool IsSubmitting(string id) => _byId.ContainsKey(id);

    /// <summary>The completion of the record's POST in flight, if any.</summary>
    public Task<JobRecord>? Find(string id) => _byId.GetValueOrDefault(id)?.Completion;

    /// <summary>The completion of an equal request's POST in flight (type, inputs and parameter text), if any.</summary>
    public Task<JobRecord>? FindSame(JobRequest request)
    {
        var key = SubmitKey.Of(request);
        foreach (var pending in _byId.Values)
        {
            if (pending.Key == key) return pending.Completion;
        }

        return null;
    }

    /// <summary>Notes that the record's POST has started; its request is read from the record.</summary>
    public void Start(JobRecord record, Task<JobRecord> completion) =>
        _byId[record.Id] = new Pending(SubmitKey.Of(record), completion);

    /// <summary>
    /// Forgets the record's POST. Call it before completing the POST's task, so an equal request made right after is
    /// a new job.
    /// </summary>
    public void Finish(string id) => _byId.Remove(id);

    /// <summary>Two requests are "the same" (a double click) when type, inputs and parameter JSON text are equal.</summary>
    private readonly record struct SubmitKey(string JobType, JobInputs Inputs, string Params)
    {
        public static SubmitKey Of(JobRequest request) => new(request.JobType, request.Inputs, request.Params.GetRawText());

        public static SubmitKey Of(JobRecord record) => new(record.JobType, record.Inputs, record.Params.GetRawText());
    }

    private sealed record Pending(SubmitKey Key, Task<JobRecord> Completion);
}
