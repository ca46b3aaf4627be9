namespace I2VStudio.Workspace.Model;

/// <summary>A row the user edits: <see cref="Version"/> is its concurrency token, raised on every save, so an edit made
/// from a stale copy (another tab saved first) is refused rather than silently overwriting.</summary>
public interface IVersioned
{
    /// <summary>Raised by one on every save of the row.</summary>
    long Version { get; set; }
}

/// <summary>A row the user can delete and bring back (undo): deleted rows are hidden, not removed.</summary>
public interface ISoftDeletable
{
    /// <summary>When the row was deleted (UTC); null while it is live.</summary>
    DateTime? DeletedAt { get; set; }
}

/// <summary>A node kept in order among its siblings (chapters, scenes, shots).</summary>
public interface IOrdered
{
    /// <summary>Identity.</summary>
    Guid Id { get; }

    /// <summary>Position among the siblings; gaps are allowed (a deleted sibling keeps its place for undo).</summary>
    int Order { get; set; }
}

/// <summary>A video novel: its chapters, and the style and parameters every shot starts from.</summary>
public sealed class Project : IVersioned, ISoftDeletable
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Unique among live projects.</summary>
    public string Name { get; set; } = "";

    /// <summary>Put before every shot prompt (e.g. the visual style).</summary>
    public string StylePrefix { get; set; } = "";

    /// <summary>Put after every shot prompt.</summary>
    public string StyleSuffix { get; set; } = "";

    /// <summary>The default number of sampling steps.</summary>
    public int DefaultNumSteps { get; set; } = 4;

    /// <summary>The default seed; null picks a random one per take.</summary>
    public int? DefaultSeed { get; set; }

    /// <summary>Whether takes use quantized weights by default.</summary>
    public bool DefaultQuantized { get; set; } = true;

    /// <summary>The default clip length in seconds (0.5 s steps), sent on a VideoGen backend. A new project starts with
    /// the configured <see cref="WorkspaceOptions.DefaultDurationSeconds"/>.</summary>
    public double DefaultDurationSeconds { get; set; } = 5;

    /// <summary>Whether takes ask the backend's LLM to rewrite the prompt by default (VideoGen).</summary>
    public bool DefaultEnhancePrompt { get; set; }

    /// <summary>When the project was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTime? DeletedAt { get; set; }

    /// <inheritdoc />
    public long Version { get; set; }

    /// <summary>The chapters (live and deleted; queries filter).</summary>
    public List<Chapter> Chapters { get; } = [];
}

/// <summary>A chapter of the novel.</summary>
public sealed class Chapter : IVersioned, ISoftDeletable, IOrdered
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The project.</summary>
    public Guid ProjectId { get; set; }

    /// <summary>Position among the project's chapters, from 0.</summary>
    public int Order { get; set; }

    /// <summary>Unique among the project's live chapters.</summary>
    public string Title { get; set; } = "";

    /// <summary>The chapter's text as imported.</summary>
    public string Text { get; set; } = "";

    /// <inheritdoc />
    public DateTime? DeletedAt { get; set; }

    /// <inheritdoc />
    public long Version { get; set; }

    /// <summary>The scenes.</summary>
    public List<Scene> Scenes { get; } = [];
}

/// <summary>A scene of a chapter (the text between two <c>---</c> lines).</summary>
public sealed class Scene : IVersioned, ISoftDeletable, IOrdered
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The chapter.</summary>
    public Guid ChapterId { get; set; }

    /// <summary>Position in the chapter, from 0.</summary>
    public int Order { get; set; }

    /// <summary>Unique among the chapter's live scenes.</summary>
    public string Title { get; set; } = "";

    /// <summary>The narration text.</summary>
    public string Narration { get; set; } = "";

    /// <inheritdoc />
    public DateTime? DeletedAt { get; set; }

    /// <inheritdoc />
    public long Version { get; set; }

    /// <summary>The shots.</summary>
    public List<Shot> Shots { get; } = [];
}

/// <summary>One generated clip of a scene: a prompt, a source image and its takes.</summary>
public sealed class Shot : IVersioned, ISoftDeletable, IOrdered
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The scene.</summary>
    public Guid SceneId { get; set; }

    /// <summary>Position in the scene, from 0.</summary>
    public int Order { get; set; }

    /// <summary>The shot's own prompt (the project's style prefix and suffix are added when a take is made).</summary>
    public string Prompt { get; set; } = "";

    /// <summary>The source image (an image asset), if chosen.</summary>
    public Guid? SourceImageAssetId { get; set; }

    /// <summary>Overrides the project's sampling steps.</summary>
    public int? NumStepsOverride { get; set; }

    /// <summary>Overrides the project's seed.</summary>
    public int? SeedOverride { get; set; }

    /// <summary>Overrides the project's quantized setting.</summary>
    public bool? QuantizedOverride { get; set; }

    /// <summary>Overrides the project's clip length, in seconds.</summary>
    public double? DurationOverride { get; set; }

    /// <summary>Overrides the project's prompt enhancement setting.</summary>
    public bool? EnhancePromptOverride { get; set; }

    /// <summary>Free notes.</summary>
    public string Notes { get; set; } = "";

    /// <summary>The take chosen for the final cut.</summary>
    public Guid? ChosenTakeId { get; set; }

    /// <inheritdoc />
    public DateTime? DeletedAt { get; set; }

    /// <inheritdoc />
    public long Version { get; set; }

    /// <summary>The takes.</summary>
    public List<Take> Takes { get; } = [];
}

/// <summary>One attempt at a shot: one backend job, with exactly what was sent.</summary>
public sealed class Take : IVersioned
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The shot.</summary>
    public Guid ShotId { get; set; }

    /// <summary>The backend's job id, once the POST answered.</summary>
    public string? JobId { get; set; }

    /// <summary>The full prompt sent (prefix + shot prompt + suffix).</summary>
    public string PromptSent { get; set; } = "";

    /// <summary>Sampling steps sent.</summary>
    public int NumSteps { get; set; }

    /// <summary>Seed sent.</summary>
    public int Seed { get; set; }

    /// <summary>Quantized setting sent.</summary>
    public bool Quantized { get; set; }

    /// <summary>Clip length sent, in seconds; null when none was sent (a Legacy backend: its default length).</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>Whether prompt enhancement was asked for (only ever on VideoGen).</summary>
    public bool EnhancePrompt { get; set; }

    /// <summary>The tracker's phase name (Submitting, Queued, Running, Succeeded, …).</summary>
    public string Phase { get; set; } = "Submitting";

    /// <summary>The backend's error, as text.</summary>
    public string? Error { get; set; }

    /// <summary>The captured video (a video asset) once the take succeeded and was downloaded.</summary>
    public Guid? VideoAssetId { get; set; }

    /// <summary>The user's rating, 1–5.</summary>
    public int? Rating { get; set; }

    /// <summary>Whether the user rejected the take.</summary>
    public bool Rejected { get; set; }

    /// <summary>When the take was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <inheritdoc />
    public long Version { get; set; }
}

/// <summary>What an asset holds.</summary>
public enum AssetKind
{
    /// <summary>A JPEG or PNG image.</summary>
    Image,

    /// <summary>An MP4 or WebM video.</summary>
    Video,

    /// <summary>A reusable prompt (text).</summary>
    PromptTemplate,
}

/// <summary>A file the host keeps: bytes in the asset folder, named by their SHA-256 (so an upload is stored once).</summary>
public sealed class Asset
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>What it holds.</summary>
    public AssetKind Kind { get; set; }

    /// <summary>The display name (the uploaded file's name).</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the bytes, lower-case hex; unique.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>MIME type, from the bytes (not from the file name).</summary>
    public string ContentType { get; set; } = "";

    /// <summary>Path of the bytes, relative to the asset folder.</summary>
    public string Path { get; set; } = "";

    /// <summary>When it was stored (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>The host-side tracker's record of a take's job (JSON of the client's <c>JobRecord</c>), so takes keep being
/// tracked after the page closes and after a host restart.</summary>
public sealed class TakeJobRecord
{
    /// <summary>The tracker's local record id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The take (from the record's context).</summary>
    public Guid? TakeId { get; set; }

    /// <summary>The record as JSON.</summary>
    public string Json { get; set; } = "";

    /// <summary>When it was last written (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>The host whose tracker follows the job (<see cref="WorkspaceOptions.HostId"/>); null on records written
    /// before hosts took leases (any host may claim them).</summary>
    public string? TrackedBy { get; set; }

    /// <summary>Until when (UTC) <see cref="TrackedBy"/> holds the job: it renews this while it lives, and another host
    /// claims the job once it has passed. Null when the job needs no tracker any more (finished and, when it succeeded,
    /// its video captured).</summary>
    public DateTime? LeaseUntil { get; set; }
}

/// <summary>What a batch item is doing.</summary>
public enum BatchItemState
{
    /// <summary>Waiting to be sent.</summary>
    Queued,

    /// <summary>A host claimed it and is sending it.</summary>
    Claimed,

    /// <summary>Its take was made; waiting for the take to finish.</summary>
    Submitted,

    /// <summary>Its take finished (succeeded).</summary>
    Done,

    /// <summary>It could not be sent, or its take failed.</summary>
    Failed,

    /// <summary>Cancelled before it was sent.</summary>
    Cancelled,

    /// <summary>Not sent: by the time its turn came the shot had a take of its own (made by hand, or by another batch)
    /// that was chosen, finished or still under way.</summary>
    Skipped,
}

/// <summary>"Generate scene" / "Generate chapter": a take for every shot that has neither a chosen nor a finished take,
/// at most <see cref="MaxInFlight"/> at once, kept in the database so it resumes after a restart.</summary>
public sealed class Batch
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The project.</summary>
    public Guid ProjectId { get; set; }

    /// <summary>What it covers, for display (the chapter or scene title).</summary>
    public string Title { get; set; } = "";

    /// <summary>Most takes running at once.</summary>
    public int MaxInFlight { get; set; } = 2;

    /// <summary>When it was started (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Whether the user cancelled what was not yet sent.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Raised by every claim of one of its items, in the same transaction: two hosts that counted the same
    /// free slots cannot both claim (the second one's conditional update matches no row).</summary>
    public long ClaimVersion { get; set; }

    /// <summary>The items.</summary>
    public List<BatchItem> Items { get; } = [];
}

/// <summary>One shot of a batch. A host takes an item by a conditional update (Queued → Claimed with its id), so two hosts
/// on one database never send the same item.</summary>
public sealed class BatchItem
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The batch.</summary>
    public Guid BatchId { get; set; }

    /// <summary>Position in the batch.</summary>
    public int Order { get; set; }

    /// <summary>The shot.</summary>
    public Guid ShotId { get; set; }

    /// <summary>State.</summary>
    public BatchItemState State { get; set; }

    /// <summary>The host instance that claimed it.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When it was claimed (UTC).</summary>
    public DateTime? ClaimedAt { get; set; }

    /// <summary>The take made for it.</summary>
    public Guid? TakeId { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}
