using ContactCenter.Application.Common;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace ContactCenter.Infrastructure;

public static class KnowledgeBaseExtensions
{
    /// <summary>
    /// The knowledge base: search engine by `Search:Engine` (Lucene, the default, or Elasticsearch with
    /// `Search:Elasticsearch:Url`), the importer of `KnowledgeBase:ContentPath`, the import on start, the file watcher
    /// and the Quartz re-import job.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledgeBase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var config = builder.Configuration;
        var contentRoot = builder.Environment.ContentRootPath;

        services.Configure<KnowledgeBaseOptions>(config.GetSection(KnowledgeBaseOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHtmlCleaner, HtmlCleaner>();
        services.AddSingleton<KnowledgeArticleParser>();
        services.AddSingleton<KnowledgeImportStatus>();
        services.AddSingleton<KnowledgeImporter>();
        services.AddSingleton<KnowledgeQueries>();
        services.AddSingleton(sp => KnowledgeContentLocation.Resolve(sp.GetRequiredService<IOptions<KnowledgeBaseOptions>>().Value.ContentPath, contentRoot));

        var engine = config["Search:Engine"] ?? "Lucene";
        if (string.Equals(engine, "Elasticsearch", StringComparison.OrdinalIgnoreCase))
        {
            services.AddElasticsearchKnowledgeSearch(config);
        }
        else if (string.Equals(engine, "Lucene", StringComparison.OrdinalIgnoreCase))
        {
            var indexPath = IndexPath(config, contentRoot);
            services.AddSingleton(sp => new LuceneKnowledgeSearch(indexPath, sp.GetRequiredService<ILogger<LuceneKnowledgeSearch>>()));
            services.AddSingleton<IKnowledgeEngine>(sp => new KnowledgeEngine(sp.GetRequiredService<LuceneKnowledgeSearch>()));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Search:Engine '{engine}'. Use Lucene or Elasticsearch.");
        }

        // Ranking on top of the engine: BM25 alone, or fused with local embeddings (KnowledgeBase:Ranking:Mode).
        services.Configure<KnowledgeRankingOptions>(config.GetSection(KnowledgeRankingOptions.Section));
        services.TryAddSingleton<ITextEmbedder, MiniLmEmbedder>();
        services.AddSingleton(sp => new HybridKnowledgeSearch(sp.GetRequiredService<IKnowledgeEngine>().Search, sp.GetRequiredService<ITextEmbedder>(),
            sp.GetRequiredService<IOptions<KnowledgeRankingOptions>>(), sp.GetRequiredService<ILogger<HybridKnowledgeSearch>>()));
        services.AddSingleton<IKnowledgeSearch>(sp => sp.GetRequiredService<IOptions<KnowledgeRankingOptions>>().Value.Mode == KnowledgeRanking.Bm25
            ? sp.GetRequiredService<IKnowledgeEngine>().Search
            : sp.GetRequiredService<HybridKnowledgeSearch>());

        var interval = config.GetSection(KnowledgeBaseOptions.Section).Get<KnowledgeBaseOptions>()?.ReimportInterval ?? TimeSpan.FromMinutes(15);
        builder.AddQuartz(q =>
        {
            q.AddJob<KnowledgeImportJob>(j => j.WithIdentity(KnowledgeImportJob.Key).StoreDurably());
            if (interval > TimeSpan.Zero)
            {
                q.AddTrigger<KnowledgeImportJob>(t => t.ForJob(KnowledgeImportJob.Key)
                    .WithIdentity("knowledge-reimport", "knowledge-base")
                    .StartAt(DateTimeOffset.UtcNow + interval)
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever()));
            }
        });
        services.AddHostedService<KnowledgeImportService>();
        return builder;
    }

    /// <summary>`KnowledgeBase:IndexPath`, else kb-index beside the SQLite database (the app's data folder), else App_Data/kb-index.</summary>
    internal static string IndexPath(IConfiguration config, string contentRoot)
    {
        var configured = config["KnowledgeBase:IndexPath"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(Path.IsPathRooted(configured) ? configured : Path.Combine(contentRoot, configured));
        }

        var provider = config["Database:Provider"] ?? "Sqlite";
        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var source = new SqliteConnectionStringBuilder(config.GetConnectionString("ContactCenter") ?? "Data Source=App_Data/contactcenter.db").DataSource;
            if (!string.IsNullOrWhiteSpace(source) && source != ":memory:")
            {
                var database = Path.IsPathRooted(source) ? source : Path.Combine(contentRoot, source);
                var folder = Path.GetDirectoryName(Path.GetFullPath(database));
                if (!string.IsNullOrEmpty(folder))
                {
                    return Path.Combine(folder, "kb-index");
                }
            }
        }

        return Path.Combine(contentRoot, "App_Data", "kb-index");
    }
}

internal static class ElasticsearchKnowledgeRegistration
{
    public static IServiceCollection AddElasticsearchKnowledgeSearch(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(ElasticsearchKnowledgeOptions.Section).Get<ElasticsearchKnowledgeOptions>() ?? new ElasticsearchKnowledgeOptions();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
        {
            throw new InvalidOperationException("Search:Engine is Elasticsearch but Search:Elasticsearch:Url is not an absolute URL.");
        }

        services.AddSingleton(new Elastic.Clients.Elasticsearch.ElasticsearchClient(new Elastic.Clients.Elasticsearch.ElasticsearchClientSettings(url)));
        services.AddSingleton(sp => new ElasticsearchKnowledgeSearch(sp.GetRequiredService<Elastic.Clients.Elasticsearch.ElasticsearchClient>(), options,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ElasticsearchKnowledgeSearch>>()));
        services.AddSingleton<IKnowledgeEngine>(sp => new KnowledgeEngine(sp.GetRequiredService<ElasticsearchKnowledgeSearch>()));
        return services;
    }
}

/// <summary>The configured search engine itself (Lucene or Elasticsearch), under the ranking decorator.</summary>
internal interface IKnowledgeEngine
{
    IKnowledgeSearch Search { get; }
}

internal sealed record KnowledgeEngine(IKnowledgeSearch Search) : IKnowledgeEngine;
