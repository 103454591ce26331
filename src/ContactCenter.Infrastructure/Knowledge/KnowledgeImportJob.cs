using ContactCenter.Application.Knowledge;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>Re-imports the knowledge base (idempotent: only changed files are re-indexed). Fired by the file watcher and on a safety interval.</summary>
[DisallowConcurrentExecution]
public sealed partial class KnowledgeImportJob : IJob
{
    public static readonly JobKey Key = new("knowledge-import", "knowledge-base");
    private readonly KnowledgeImporter _importer;
    private readonly KnowledgeContentLocation _content;
    private readonly ILogger<KnowledgeImportJob> _logger;

    public KnowledgeImportJob(KnowledgeImporter importer, KnowledgeContentLocation content, ILogger<KnowledgeImportJob> logger)
    {
        _importer = importer;
        _content = content;
        _logger = logger;
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var report = await _importer.ImportAsync(_content.Path, rebuild: false, new LoggingProgress(_logger), cancellationToken).ConfigureAwait(false);
        LogReimported(report.ToString());
    }

    [LoggerMessage(EventId = 8120, Level = LogLevel.Debug, Message = "Knowledge re-import: {Report}")]
    private partial void LogReimported(string report);
}

/// <summary>Import progress written to the log.</summary>
public sealed partial class LoggingProgress : IProgress<ImportProgress>
{
    private readonly ILogger _logger;

    public LoggingProgress(ILogger logger) => _logger = logger;

    public void Report(ImportProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        LogProgress(value.Processed, value.Total);
    }

    [LoggerMessage(EventId = 8121, Level = LogLevel.Debug, Message = "Knowledge import: {Processed}/{Total} files")]
    private partial void LogProgress(int processed, int total);
}
