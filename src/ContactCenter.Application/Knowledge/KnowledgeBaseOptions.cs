namespace ContactCenter.Application.Knowledge;

/// <summary>The `KnowledgeBase` configuration section.</summary>
public sealed class KnowledgeBaseOptions
{
    public const string Section = "KnowledgeBase";

    /// <summary>The folder of articles to import (relative paths: to the content root, the working directory, then the folders above).</summary>
    public string ContentPath { get; set; } = "kb-content";

    /// <summary>Where the Lucene index and its manifest live; by default kb-index beside the SQLite database (App_Data).</summary>
    public string? IndexPath { get; set; }

    /// <summary>Import once when the app starts.</summary>
    public bool ImportOnStart { get; set; } = true;

    /// <summary>
    /// Make the start-up import a full rebuild (a new index generation, swapped in when complete): after a change of
    /// analysers or mappings, or to recover an index. Search keeps answering from the old generation meanwhile.
    /// </summary>
    public bool RebuildOnStart { get; set; }

    /// <summary>Re-import when a file under <see cref="ContentPath"/> changes.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How long the content must be quiet after a change before it is re-imported.</summary>
    public TimeSpan WatchDebounce { get; set; } = TimeSpan.FromMilliseconds(750);

    /// <summary>The safety re-import (a Quartz job) in case a change was missed; zero turns it off.</summary>
    public TimeSpan ReimportInterval { get; set; } = TimeSpan.FromMinutes(15);
}
