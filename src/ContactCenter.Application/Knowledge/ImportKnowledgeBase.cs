using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Application.Knowledge;

/// <summary>What an import did. Errors name the file and line; those files were skipped and everything else imported.</summary>
public sealed record ImportReport(int Added, int Updated, int Unchanged, int Removed, IReadOnlyList<ImportError> Errors, TimeSpan Elapsed)
{
    public int Published => Added + Updated + Unchanged;

    public bool Changed => Added + Updated + Removed > 0;

    public override string ToString() =>
        $"{Added} added, {Updated} updated, {Unchanged} unchanged, {Removed} removed, {Errors.Count} errors in {Elapsed.TotalMilliseconds:0} ms";
}

/// <summary>Progress of an import: files read so far out of all files found.</summary>
public sealed record ImportProgress(int Processed, int Total, string? CurrentFile);

/// <summary>The last import's outcome, and a way to wait for the first one (start-up import, tests).</summary>
public sealed class KnowledgeImportStatus
{
    private readonly TaskCompletionSource<ImportReport> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ImportReport? LastReport { get; private set; }

    public DateTimeOffset? LastCompletedAt { get; private set; }

    public Task<ImportReport> FirstImport => _first.Task;

    public void Completed(ImportReport report, DateTimeOffset at)
    {
        LastReport = report;
        LastCompletedAt = at;
        _first.TrySetResult(report);
    }

    public void Failed(Exception error) => _first.TrySetException(error);
}

/// <summary>
/// Imports a folder of Markdown articles into the search engine: every *.md below it (README.md and names starting with
/// '_' or '.' excepted). Idempotent by content hash: unchanged files are not re-rendered or re-indexed. Articles whose file
/// disappeared are removed (unpublished). A file with bad front matter is reported (file and line) and skipped; an article it
/// used to be keeps its last good version until the file is fixed. One import at a time.
/// </summary>
public sealed partial class KnowledgeImporter
{
    private const int BatchSize = 250;
    private readonly IKnowledgeSearch _search;
    private readonly KnowledgeArticleParser _parser;
    private readonly KnowledgeImportStatus _status;
    private readonly TimeProvider _clock;
    private readonly ILogger<KnowledgeImporter> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public KnowledgeImporter(IKnowledgeSearch search, KnowledgeArticleParser parser, KnowledgeImportStatus status, TimeProvider clock, ILogger<KnowledgeImporter> logger)
    {
        _search = search;
        _parser = parser;
        _status = status;
        _clock = clock;
        _logger = logger;
    }

    /// <param name="contentPath">The folder to import (absolute, or relative to the working directory).</param>
    /// <param name="rebuild">Replace the whole index (a new generation) instead of applying the differences.</param>
    public async Task<ImportReport> ImportAsync(string contentPath, bool rebuild = false, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contentPath);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await ImportCoreAsync(Path.GetFullPath(contentPath), rebuild, progress, cancellationToken).ConfigureAwait(false);
            _status.Completed(report, _clock.GetUtcNow());
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, contentPath);
            _status.Failed(ex);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ImportReport> ImportCoreAsync(string root, bool rebuild, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var errors = new List<ImportError>();
        if (!Directory.Exists(root))
        {
            errors.Add(new ImportError(root, 0, "the knowledge-base folder does not exist: nothing imported, nothing unpublished"));
            LogMissingFolder(root);
            return new ImportReport(0, 0, 0, 0, errors, watch.Elapsed);
        }

        var files = Directory.EnumerateFiles(root, "*.md", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(IsArticleFile)
            .Order(StringComparer.Ordinal)
            .ToList();
        LogStarted(root, files.Count);

        var manifest = await _search.GetManifestAsync(ct).ConfigureAwait(false);
        var seen = new Dictionary<ArticleKey, string>();
        var kept = new HashSet<ArticleKey>();
        var pending = new List<KnowledgeArticle>();
        var all = new List<KnowledgeArticle>();
        int added = 0, updated = 0, unchanged = 0, processed = 0;

        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            processed++;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(Path.Combine(root, file), ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                Skip(file, 0, "could not be read: " + ex.Message);
                continue;
            }

            var hash = KnowledgeArticleParser.HashOf(text);
            var outcome = _parser.Parse(text, file, hash);
            if (!outcome.IsSuccess)
            {
                foreach (var error in outcome.Errors)
                {
                    errors.Add(error);
                    LogSkipped(error.File, error.Line, error.Message);
                }

                if (KnowledgeArticleParser.GuessKey(file) is { } guess)
                {
                    kept.Add(guess);
                }

                continue;
            }

            var parsed = outcome.File!;
            if (seen.TryGetValue(parsed.Key, out var first))
            {
                Skip(file, 1, $"duplicate article: {parsed.Key} is already {first}");
                continue;
            }

            seen[parsed.Key] = file;
            var known = manifest.TryGetValue(parsed.Key, out var previousHash);
            if (known && previousHash == hash && !rebuild)
            {
                unchanged++;
            }
            else
            {
                var article = Render(parsed, file);
                if (article is null)
                {
                    seen.Remove(parsed.Key);
                    kept.Add(parsed.Key);
                    continue;
                }

                if (known && previousHash == hash)
                {
                    unchanged++;
                }
                else if (known)
                {
                    updated++;
                }
                else
                {
                    added++;
                }

                if (rebuild)
                {
                    all.Add(article);
                }
                else
                {
                    pending.Add(article);
                    if (pending.Count >= BatchSize)
                    {
                        await _search.UpsertAsync(pending.ToList(), ct).ConfigureAwait(false);
                        pending.Clear();
                    }
                }
            }

            if (processed % 50 == 0)
            {
                progress?.Report(new ImportProgress(processed, files.Count, file));
            }
        }

        var removed = manifest.Keys.Where(k => !seen.ContainsKey(k) && !kept.Contains(k)).ToList();
        if (rebuild)
        {
            // A rebuild re-renders everything; a broken file's last good version cannot be carried over, so it is left out.
            await _search.ReindexAsync(all, ct).ConfigureAwait(false);
            removed = manifest.Keys.Where(k => !seen.ContainsKey(k)).ToList();
        }
        else
        {
            if (pending.Count > 0)
            {
                await _search.UpsertAsync(pending, ct).ConfigureAwait(false);
            }

            if (removed.Count > 0)
            {
                await _search.RemoveAsync(removed, ct).ConfigureAwait(false);
            }
        }

        progress?.Report(new ImportProgress(processed, files.Count, null));
        var report = new ImportReport(added, updated, unchanged, removed.Count, errors, watch.Elapsed);
        LogFinished(root, report.Added, report.Updated, report.Unchanged, report.Removed, report.Errors.Count, (long)report.Elapsed.TotalMilliseconds);
        return report;

        void Skip(string file, int line, string message)
        {
            errors.Add(new ImportError(file, line, message));
            LogSkipped(file, line, message);
        }

        KnowledgeArticle? Render(ParsedArticleFile parsed, string file)
        {
            try
            {
                return parsed.Render();
            }
#pragma warning disable CA1031 // One article that cannot be rendered must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Skip(file, 0, "could not be rendered: " + ex.Message);
                return null;
            }
        }
    }

    private static bool IsArticleFile(string relativePath)
    {
        var name = Path.GetFileName(relativePath);
        return !name.Equals("README.md", StringComparison.OrdinalIgnoreCase)
            && !relativePath.Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Knowledge import of {Root}: {Files} article files")]
    private partial void LogStarted(string root, int files);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Knowledge import of {Root}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Removed} removed, {Errors} errors in {Milliseconds} ms")]
    private partial void LogFinished(string root, int added, int updated, int unchanged, int removed, int errors, long milliseconds);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Knowledge article skipped: {File}:{Line}: {Problem}")]
    private partial void LogSkipped(string file, int line, string problem);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Knowledge import: the folder {Root} does not exist")]
    private partial void LogMissingFolder(string root);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Error, Message = "Knowledge import of {Root} failed")]
    private partial void LogFailed(Exception error, string root);
}
