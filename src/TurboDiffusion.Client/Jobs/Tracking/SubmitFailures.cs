using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// What a failed submission tells the user, and whether the backend may have taken the job all the same
/// (<see cref="JobError.MayHaveBeenSubmitted"/>: the UI then warns before a second POST makes a second job).
/// </summary>
internal static class SubmitFailures
{
    /// <summary>Shown when a record's original image is gone from the blob store (evicted, another browser).</summary>
    public const string MissingImageMessage = "The original image is no longer stored in this browser; choose it again.";

    /// <summary>Shown when a stored record was left in Submitting by a page that went away mid-POST.</summary>
    public const string InterruptedSubmitMessage =
        "The page was closed or reloaded while this job was being submitted; the backend may or may not have received it.";

    /// <summary>The error of a POST a closed page left unfinished: the backend may or may not have it.</summary>
    public static JobError Interrupted() => Error(InterruptedSubmitMessage) with { MayHaveBeenSubmitted = true };

    /// <summary>The error kept on the record for a POST that threw: capped text, and whether it may have gone through.</summary>
    public static JobError Describe(Exception exception)
    {
        var error = DescribeUncapped(exception);
        return error with { Message = StoredText.Cap(error.Message) ?? "", MayHaveBeenSubmitted = MayHaveReachedBackend(exception) };
    }

    /// <summary>
    /// True when a failed POST may have been accepted all the same: the request may have been read before the answer
    /// was lost. Only a refused connection, an unknown host, or an answer that says "not taken" (4xx, a 500 from the
    /// app) prove it was not.
    /// </summary>
    public static bool MayHaveReachedBackend(Exception exception) => exception switch
    {
        TurboDiffusionApiException { Kind: ApiFailureKind.Timeout or ApiFailureKind.Protocol } => true,
        TurboDiffusionApiException { Kind: ApiFailureKind.Http, StatusCode: System.Net.HttpStatusCode.BadGateway or System.Net.HttpStatusCode.GatewayTimeout } => true,
        TurboDiffusionApiException { Kind: ApiFailureKind.Network } api => !NeverConnected(api),
        TurboDiffusionApiException => false,
        OperationCanceledException or TimeoutException => true,
        HttpRequestException or System.IO.IOException => !NeverConnected(exception),
        _ => false,
    };

    private static bool NeverConnected(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }) return true;
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound }) return true;
        }

        return false;
    }

    private static JobError DescribeUncapped(Exception exception) => exception switch
    {
        TurboDiffusionApiException api => new JobError
        {
            Source = JobErrorSource.Submit,
            Message = api.Message,
            HttpStatus = api.StatusCode is { } status ? (int)status : null,
            FieldProblems = api.FieldProblems.IsDefault ? [] : api.FieldProblems,
        },
        HttpRequestException http => Error("Cannot reach the backend: " + http.Message),
        OperationCanceledException or TimeoutException => Error("The backend did not answer in time."),
        // A job type rejecting the request itself (e.g. no image): its own words, without "(Parameter 'x')".
        ArgumentException argument when argument.ParamName is { } name =>
            Error("The job could not be submitted: " + argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)),
        _ => Error("The job could not be submitted: " + exception.Message),
    };

    public static JobError Error(string message) => new() { Source = JobErrorSource.Submit, Message = message };

    /// <summary>
    /// The error of a submission whose record could not be saved before its POST completed: the POST was aborted (or
    /// never made), so the backend did not take the job.
    /// </summary>
    public static JobError NotStored(Exception exception) => Error(StoredText.Cap(
        "Not sent: the job could not be saved in this browser, so it was not submitted (a job the page could lose is " +
        "never sent). Check that this site may store data, then retry. The storage said: " + exception.Message) ?? "");
}
