using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>Which jobs the list shows.</summary>
public enum JobFilter
{
    /// <summary>Every job.</summary>
    All,
    /// <summary>Submitting, Queued, Running.</summary>
    Active,
    /// <summary>Succeeded.</summary>
    Done,
    /// <summary>Failed or not submitted.</summary>
    Failed,
    /// <summary>TimedOut or Lost: the user has to decide.</summary>
    Attention,
}

/// <summary>Helpers over <see cref="JobFilter"/>.</summary>
public static class JobFilterExtensions
{
    /// <summary>Whether a job in <paramref name="phase"/> passes the filter.</summary>
    public static bool Matches(this JobFilter filter, JobPhase phase) => filter switch
    {
        JobFilter.Active => phase.IsActive(),
        JobFilter.Done => phase == JobPhase.Succeeded,
        JobFilter.Failed => phase is JobPhase.Failed or JobPhase.SubmitFailed,
        JobFilter.Attention => phase is JobPhase.TimedOut or JobPhase.Lost,
        _ => true,
    };

    /// <summary>The glossary key of the filter's name.</summary>
    public static string Key(this JobFilter filter) => filter switch
    {
        JobFilter.Active => "filter.active",
        JobFilter.Done => "filter.done",
        JobFilter.Failed => "filter.failed",
        JobFilter.Attention => "filter.attention",
        _ => "filter.all",
    };
}
