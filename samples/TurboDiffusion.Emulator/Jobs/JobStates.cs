namespace TurboDiffusion.Emulator;

/// <summary>The job table's statuses, written by the API and the worker (finer than Celery's states).</summary>
public static class DbStatus
{
    /// <summary>The API stored the row, before handing the job to the broker.</summary>
    public const string Created = "CREATED";

    /// <summary>The broker accepted the job.</summary>
    public const string Submitted = "SUBMITTED";

    /// <summary>A worker picked the job up.</summary>
    public const string Started = "STARTED";

    /// <summary>The worker fetched the input image.</summary>
    public const string Downloaded = "DOWNLOADED";

    /// <summary>Inference (here: the stand-in render) is running.</summary>
    public const string Running = "RUNNING";

    /// <summary>The video is stored.</summary>
    public const string Uploaded = "UPLOADED";

    /// <summary>Done.</summary>
    public const string Succeeded = "SUCCEEDED";

    /// <summary>The worker failed; <c>error</c> says why.</summary>
    public const string Failed = "FAILED";

    /// <summary>The broker refused the job.</summary>
    public const string SubmitFailed = "SUBMIT_FAILED";
}

/// <summary>The Celery task states the API reports.</summary>
public static class CeleryState
{
    /// <summary>Unknown to Celery: queued, or never seen, or its result expired.</summary>
    public const string Pending = "PENDING";

    /// <summary>A worker runs it (the worker sets <c>task_track_started</c>).</summary>
    public const string Started = "STARTED";

    /// <summary>Finished; <c>result</c> holds the return value.</summary>
    public const string Success = "SUCCESS";

    /// <summary>Failed; <c>error</c> holds the exception text.</summary>
    public const string Failure = "FAILURE";
}
