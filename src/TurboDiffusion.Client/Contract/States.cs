namespace TurboDiffusion.Client.Contract;

/// <summary>Celery task states as the API reports them in <c>status</c>.</summary>
public static class CeleryStates
{
    /// <summary>Unknown to Celery: queued, or an id that never existed, or an expired result.</summary>
    public const string Pending = "PENDING";
    /// <summary>The worker is running the job (the whole run).</summary>
    public const string Started = "STARTED";
    /// <summary>Legal Celery state; the task will run again.</summary>
    public const string Retry = "RETRY";
    /// <summary>Finished with an error.</summary>
    public const string Failure = "FAILURE";
    /// <summary>Finished; <c>result</c> and usually <c>output_url</c> present.</summary>
    public const string Success = "SUCCESS";
    /// <summary>Cancelled; terminal.</summary>
    public const string Revoked = "REVOKED";
}

/// <summary>Job row states written by the API and the worker.</summary>
public static class DbStates
{
    /// <summary>Row created.</summary>
    public const string Created = "CREATED";
    /// <summary>Handed to the broker.</summary>
    public const string Submitted = "SUBMITTED";
    /// <summary>The broker refused the job.</summary>
    public const string SubmitFailed = "SUBMIT_FAILED";
    /// <summary>Worker picked it up.</summary>
    public const string Started = "STARTED";
    /// <summary>Input fetched.</summary>
    public const string Downloaded = "DOWNLOADED";
    /// <summary>Inference running.</summary>
    public const string Running = "RUNNING";
    /// <summary>Video stored.</summary>
    public const string Uploaded = "UPLOADED";
    /// <summary>Done.</summary>
    public const string Succeeded = "SUCCEEDED";
    /// <summary>Failed at some step.</summary>
    public const string Failed = "FAILED";

    /// <summary>The worker's order, for stage timings and badges.</summary>
    public static IReadOnlyList<string> Lifecycle { get; } = [Created, Submitted, Started, Downloaded, Running, Uploaded, Succeeded];
}
