using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>
/// The two status badges of a job: the Celery state ("Queue status") and, when the backend sent one, the DB row's
/// state ("Job record status"). Each badge is one label, the status name and the code exactly as sent, coloured by
/// state; its tooltip holds the full text with the stage in words (the phase beside the badges already says it).
/// On a narrow card a badge ellipsizes instead of overflowing.
/// </summary>
public partial class JobStatusBadges
{
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;

    /// <summary>The job's status. Required.</summary>
    [Parameter, EditorRequired] public JobStatus Status { get; set; } = JobStatus.Submitting;

    private string CeleryClass => "badge-" + CeleryTone(Status.Celery);

    private string DbClass => "badge-" + DbTone(Status.Db);

    private string CeleryTitle => L["status.badge_title", L["status.celery"], Status.Celery ?? L["status.none"]];

    private string DbTitle => DbWordKey is { } wordKey
        ? L["status.badge_title_word", L["status.db"], Status.Db ?? "", L[wordKey]]
        : L["status.badge_title", L["status.db"], Status.Db ?? ""];

    private string? DbWordKey => Status.Db is { } db && KnownDbStates.Contains(db) ? "stage." + db : null;

    private static readonly HashSet<string> KnownDbStates =
        [.. DbStates.Lifecycle, DbStates.Failed, DbStates.SubmitFailed];

    /// <summary>The colour family of a Celery state: neutral, active, success, warning, error.</summary>
    internal static string CeleryTone(string? state) => state switch
    {
        CeleryStates.Pending => "neutral",
        CeleryStates.Started => "active",
        CeleryStates.Retry => "warning",
        CeleryStates.Success => "success",
        CeleryStates.Failure or CeleryStates.Revoked => "error",
        _ => "neutral",
    };

    /// <summary>The colour family of a DB row state.</summary>
    internal static string DbTone(string? state) => state switch
    {
        DbStates.Created or DbStates.Submitted => "neutral",
        DbStates.Started or DbStates.Downloaded or DbStates.Running or DbStates.Uploaded => "active",
        DbStates.Succeeded => "success",
        DbStates.Failed or DbStates.SubmitFailed => "error",
        _ => "neutral",
    };
}
