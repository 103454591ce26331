using ContactCenter.Application.Knowledge;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>
/// Imports the knowledge base when the app starts (in the background: the app answers meanwhile), then watches the
/// content folder and, once changes have been quiet for the debounce time, fires the import job.
/// </summary>
public sealed partial class KnowledgeImportService : BackgroundService
{
    private readonly KnowledgeImporter _importer;
    private readonly KnowledgeContentLocation _content;
    private readonly KnowledgeBaseOptions _options;
    private readonly ISchedulerFactory _schedulers;
    private readonly TimeProvider _clock;
    private readonly ILogger<KnowledgeImportService> _logger;
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private CancellationToken _stopping;

    public KnowledgeImportService(KnowledgeImporter importer, KnowledgeContentLocation content, IOptions<KnowledgeBaseOptions> options,
        ISchedulerFactory schedulers, TimeProvider clock, ILogger<KnowledgeImportService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _importer = importer;
        _content = content;
        _options = options.Value;
        _schedulers = schedulers;
        _clock = clock;
        _logger = logger;
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await Task.Yield();
        if (_options.ImportOnStart)
        {
            try
            {
                await _importer.ImportAsync(_content.Path, rebuild: _options.RebuildOnStart, new LoggingProgress(_logger), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A broken index or folder is logged; the rest of the app keeps running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogStartImportFailed(ex);
            }
        }

        if (_options.Watch)
        {
            Watch();
        }
    }

    private void Watch()
    {
        if (!Directory.Exists(_content.Path))
        {
            LogNotWatching(_content.Path);
            return;
        }

        _debounce = _clock.CreateTimer(_ => _ = TriggerImportAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(_content.Path)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnChanged;
        _watcher.Created += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnChanged;
        _watcher.Error += (_, e) =>
        {
            LogWatcherError(e.GetException());
            Changed();
        };
        _watcher.EnableRaisingEvents = true;
        LogWatching(_content.Path);
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => Changed();

    private void Changed() => _debounce?.Change(_options.WatchDebounce, Timeout.InfiniteTimeSpan);

    private async Task TriggerImportAsync()
    {
        try
        {
            var scheduler = await _schedulers.GetScheduler(_stopping).ConfigureAwait(false);
            await scheduler.TriggerJob(KnowledgeImportJob.Key, new JobDataMap(), _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A timer callback must not throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTriggerFailed(ex);
        }
    }

    [LoggerMessage(EventId = 8130, Level = LogLevel.Error, Message = "Knowledge import on start failed")]
    private partial void LogStartImportFailed(Exception error);

    [LoggerMessage(EventId = 8131, Level = LogLevel.Information, Message = "Watching {Folder} for knowledge-base changes")]
    private partial void LogWatching(string folder);

    [LoggerMessage(EventId = 8132, Level = LogLevel.Warning, Message = "Not watching {Folder}: it does not exist")]
    private partial void LogNotWatching(string folder);

    [LoggerMessage(EventId = 8133, Level = LogLevel.Warning, Message = "Knowledge-base file watcher error")]
    private partial void LogWatcherError(Exception error);

    [LoggerMessage(EventId = 8134, Level = LogLevel.Error, Message = "Could not fire the knowledge import job")]
    private partial void LogTriggerFailed(Exception error);
}
