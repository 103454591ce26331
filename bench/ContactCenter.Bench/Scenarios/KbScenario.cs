using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// The knowledge search, in process (no web server): the product's own engine and importer built through
/// <c>AddKnowledgeBase()</c> on a temporary index. 1. Relevance on the COVID FAQ query/answer pairs
/// (../shared/corpora/faq): every distinct answer is an article, every distinct query is searched (limit 10):
/// nDCG@10, MRR@10, Hit@1 with binary relevance, and query latency. 2. Scale: N synthetic articles written as
/// Markdown files and imported by the product's importer (articles/s, index size on disk), then ~1,000 queries.
/// </summary>
internal static partial class KbScenario
{
    private const string Locale = KnowledgeLocales.English;
    private const int Limit = 10;
    private const int WarmupQueries = 200;

    internal sealed record FaqPair(string Question, string Answer, string QueryType);

    private sealed record QueryOutcome(string Query, string Type, double Ms, int Relevant, int FirstRelevantRank, double Ndcg, int Hits, string TopTitle = "");

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var s = options.Short;
        var scaleArticles = s ? 2000 : 10000;
        var scaleQueries = 1000;
        var report = new BenchReport("kb", s);
        var p = report.Params;
        var faqPath = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "corpora", "faq", "covidfaq-query-answer-pairs.json"));
        if (!File.Exists(faqPath))
        {
            throw new BenchFailedException($"the FAQ corpus is missing: {faqPath}");
        }

        p["target"] = "in process: the product's Lucene engine and importer (AddKnowledgeBase, Search:Engine=Lucene) on a temporary index; no web server";
        p["corpus"] = "../shared/corpora/faq/covidfaq-query-answer-pairs.json";
        p["search"] = $"IKnowledgeSearch.SearchAsync(locale {Locale}, public only, limit {Limit}), snippets included";
        p["scale_articles"] = scaleArticles;
        p["scale_queries"] = scaleQueries;

        var temp = Path.Combine(Path.GetTempPath(), "cc-bench-kb-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try
        {
            // 1. Relevance.
            var pairs = LoadFaq(faqPath);
            var answers = pairs.Select(x => x.Answer).Distinct(StringComparer.Ordinal).ToList();
            var slugOf = answers.ToDictionary(a => a, a => "faq-" + ShortHash(a), StringComparer.Ordinal);
            var titleOfSlug = answers.ToDictionary(a => slugOf[a], TitleOf, StringComparer.Ordinal);
            var relevant = pairs.GroupBy(x => x.Question, StringComparer.Ordinal)
                .Select(g => (Query: g.Key, Type: g.First().QueryType, Slugs: g.Select(x => slugOf[x.Answer]).ToHashSet(StringComparer.Ordinal)))
                .Where(q => q.Slugs.Count > 0)
                .ToList();
            Log.Line($"kb: relevance: {answers.Count} articles (distinct answers), {relevant.Count} distinct queries");

            var faqContent = Path.Combine(temp, "faq-content");
            foreach (var answer in answers)
            {
                WriteArticle(faqContent, "covid", slugOf[answer], TitleOf(answer), answer);
            }

            // BM25 alone, embeddings alone and the fusion of both, each on its own fresh index.
            var byMode = new Dictionary<KnowledgeRanking, (QueryOutcome[] Outcomes, ImportReport Import)>();
            foreach (var mode in new[] { KnowledgeRanking.Bm25, KnowledgeRanking.Semantic, KnowledgeRanking.Hybrid })
            {
                Log.Line($"kb: relevance: {mode}");
                byMode[mode] = await EvaluateAsync(mode, Path.Combine(temp, $"faq-index-{mode}"), temp, faqContent, relevant, titleOfSlug, cancellationToken);
            }

            var (outcomes, faqImport) = byMode[KnowledgeRanking.Bm25];
            var r = report.Results;
            r["relevance_articles"] = answers.Count;
            r["relevance_queries"] = outcomes.Length;
            r["relevance_pairs"] = pairs.Count;
            r["ndcg_at_10"] = Figures.Num(outcomes.Average(o => o.Ndcg), 4);
            r["mrr_at_10"] = Figures.Num(outcomes.Average(o => o.FirstRelevantRank > 0 ? 1.0 / o.FirstRelevantRank : 0), 4);
            r["hit_at_1"] = Figures.Num(outcomes.Average(o => o.FirstRelevantRank == 1 ? 1.0 : 0), 4);
            r["hit_at_10"] = Figures.Num(outcomes.Average(o => o.FirstRelevantRank > 0 ? 1.0 : 0), 4);
            r["queries_without_results"] = outcomes.Count(o => o.Hits == 0);
            foreach (var group in outcomes.GroupBy(o => o.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                r[$"{group.Key}_queries"] = group.Count();
                r[$"{group.Key}_ndcg_at_10"] = Figures.Num(group.Average(o => o.Ndcg), 4);
                r[$"{group.Key}_mrr_at_10"] = Figures.Num(group.Average(o => o.FirstRelevantRank > 0 ? 1.0 / o.FirstRelevantRank : 0), 4);
                r[$"{group.Key}_hit_at_1"] = Figures.Num(group.Average(o => o.FirstRelevantRank == 1 ? 1.0 : 0), 4);
            }

            foreach (var (label, lo, hi) in new[] { ("words_1_3", 1, 3), ("words_4_7", 4, 7), ("words_8_plus", 8, int.MaxValue) })
            {
                var group = outcomes.Where(o => WordCount(o.Query) >= lo && WordCount(o.Query) <= hi).ToList();
                if (group.Count > 0)
                {
                    r[$"{label}_queries"] = group.Count;
                    r[$"{label}_hit_at_1"] = Figures.Num(group.Average(o => o.FirstRelevantRank == 1 ? 1.0 : 0), 4);
                    r[$"{label}_query_p50_ms"] = Figures.Num(LatencyLog.Summarize(group.Select(o => o.Ms).ToArray()).P50);
                }
            }

            foreach (var (mode, prefix) in new[] { (KnowledgeRanking.Semantic, "semantic"), (KnowledgeRanking.Hybrid, "hybrid") })
            {
                var o = byMode[mode].Outcomes;
                r[$"{prefix}_ndcg_at_10"] = Figures.Num(o.Average(x => x.Ndcg), 4);
                r[$"{prefix}_mrr_at_10"] = Figures.Num(o.Average(x => x.FirstRelevantRank > 0 ? 1.0 / x.FirstRelevantRank : 0), 4);
                r[$"{prefix}_hit_at_1"] = Figures.Num(o.Average(x => x.FirstRelevantRank == 1 ? 1.0 : 0), 4);
                r[$"{prefix}_hit_at_10"] = Figures.Num(o.Average(x => x.FirstRelevantRank > 0 ? 1.0 : 0), 4);
                Figures.Latency(r, $"{prefix}_query", LatencyLog.Summarize(o.Select(x => x.Ms).ToArray()));
                r[$"{prefix}_faq_import_ms"] = Figures.Num(byMode[mode].Import.Elapsed.TotalMilliseconds, 1);
            }

            var faqLatency = LatencyLog.Summarize(outcomes.Select(o => o.Ms).ToArray());
            Figures.Latency(r, "relevance_query", faqLatency);
            r["faq_import_ms"] = Figures.Num(faqImport.Elapsed.TotalMilliseconds, 1);

            var misses = outcomes.Where(o => o.FirstRelevantRank == 0).ToList();
            report.Notes.Add("Measured in process: the product's Lucene engine and KnowledgeImporter (built with AddKnowledgeBase on a temporary index), no web server, no HTTP. Latency is one SearchAsync call (query + BM25 + snippet highlighting), sequential; the relevance queries after one unmeasured pass over all of them, the scale queries after " + WarmupQueries + " other generated queries, unmeasured.");
            report.Notes.Add("Three rankings on the same articles and queries, each on a fresh index: BM25 (Lucene alone), semantic (all-MiniLM-L6-v2 embeddings of title + tags + the first 1,200 characters, computed locally; cosine similarity, brute force) and hybrid (reciprocal-rank fusion of the top 50 of each (this run; the default is now 20), k = 60) — KnowledgeBase:Ranking:Mode. Semantic/hybrid latency includes embedding the query. Import times of semantic/hybrid include embedding every article.");
            report.Notes.Add($"Relevance corpus: {pairs.Count} labelled pairs (all label 1), {answers.Count} distinct answers imported as public English articles (title = first sentence or first 12 words, body = the answer, slug = faq-<sha256 prefix>), {outcomes.Length} distinct queries; binary relevance, a query may have several relevant answers.");
            report.Notes.Add($"{misses.Count} queries ({100.0 * misses.Count / outcomes.Length:0.0} %) have no relevant answer in the top 10; {outcomes.Count(o => o.Hits == 0)} returned nothing at all. Examples: "
                + string.Join("; ", misses.Take(6).Select(m => $"\"{m.Query.Trim()}\"")));

            // 2. Scale.
            Log.Line($"kb: scale: writing {scaleArticles} synthetic articles");
            var kbContent = ReadRepoArticles(temp);
            var scaleContent = Path.Combine(temp, "scale-content");
            var generator = new Generator(answers, kbContent, seed: 11);
            var totalBytes = 0L;
            for (var i = 0; i < scaleArticles; i++)
            {
                var (category, title, body) = generator.Article(i);
                totalBytes += WriteArticle(scaleContent, category, $"synthetic-{i:D5}", title, body);
            }

            var queries = generator.Queries(scaleQueries, relevant.Select(q => q.Query).ToList());
            var scaleLatencies = new double[queries.Count];
            ImportReport scaleImport;
            double indexMb;
            int zeroHits = 0;
            using (var kb = Engine.Open(Path.Combine(temp, "scale-index"), temp, KnowledgeRanking.Hybrid))
            {
                Log.Line("kb: scale: importing");
                scaleImport = await kb.Importer.ImportAsync(scaleContent, cancellationToken: cancellationToken);
                if (scaleImport.Errors.Count > 0)
                {
                    throw new BenchFailedException("synthetic import failed: " + string.Join("; ", scaleImport.Errors.Take(3)));
                }

                indexMb = FolderBytes(Path.Combine(temp, "scale-index")) / 1024.0 / 1024.0;
                Log.Line($"kb: scale: imported in {scaleImport.Elapsed.TotalSeconds:0.0} s; {queries.Count} queries");
                foreach (var q in generator.Queries(WarmupQueries, relevant.Select(x => x.Query).ToList()))
                {
                    await kb.Search.SearchAsync(new KnowledgeQuery(q, Locale, Limit: Limit), cancellationToken);
                }

                for (var i = 0; i < queries.Count; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var hits = await kb.Search.SearchAsync(new KnowledgeQuery(queries[i], Locale, Limit: Limit), cancellationToken);
                    scaleLatencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    zeroHits += hits.Count == 0 ? 1 : 0;
                }
            }

            r["scale_articles"] = scaleImport.Published;
            r["scale_source_mb"] = Figures.Num(totalBytes / 1024.0 / 1024.0, 1);
            r["scale_avg_article_words"] = Figures.Num(generator.AverageWords, 0);
            r["scale_import_s"] = Figures.Num(scaleImport.Elapsed.TotalSeconds, 2);
            r["scale_import_articles_per_s"] = Figures.Num(scaleImport.Published / scaleImport.Elapsed.TotalSeconds, 0);
            r["scale_index_mb"] = Figures.Num(indexMb, 1);
            var scaleStats = LatencyLog.Summarize([.. scaleLatencies]);
            Figures.Latency(r, "scale_query", scaleStats);
            r["scale_queries_without_results"] = zeroHits;
            // Queries cycle through three kinds (see Generator.Queries): their latency differs a lot.
            foreach (var (kind, k) in new[] { ("faq_user_query", 0), ("verb_product", 1), ("title_fragment", 2) })
            {
                var stats = LatencyLog.Summarize(scaleLatencies.Where((_, i) => i % 3 == k).ToArray());
                r[$"scale_{kind}_p50_ms"] = Figures.Num(stats.P50);
                r[$"scale_{kind}_p99_ms"] = Figures.Num(stats.P99);
            }
            report.Notes.Add($"Scale: {scaleArticles} synthetic English articles (8 categories from kb-content/en and the FAQ; each 3–8 paragraphs drawn from the {answers.Count} FAQ answers and {kbContent.Count} kb-content/en articles, 2–5 consecutive sentences of one source per paragraph, often with a sentence from elsewhere inserted and a product sentence appended, some ## headings), written as Markdown files and imported by the product's KnowledgeImporter (read, parse, render, index in batches of 250, commit): the import time includes all of it. Queries cycle through FAQ user questions, \"verb product\" phrases and 2–6-word title fragments, one in five with two letters swapped.");

            var target = s ? "p99 < 20 ms at 10,000 articles (short mode: measured at 2,000)" : "< 20 ms";
            report.Targets.Add(new TargetCheck($"search p99 at {scaleArticles:N0} articles (ms)", target, scaleStats.P99, s ? null : scaleStats.P99 < 20));
            var hybridNdcg = byMode[KnowledgeRanking.Hybrid].Outcomes.Average(o => o.Ndcg);
            report.Targets.Add(new TargetCheck("hybrid nDCG@10 above BM25 alone", $"hybrid > BM25 ({outcomes.Average(o => o.Ndcg):0.000})", hybridNdcg,
                hybridNdcg > outcomes.Average(o => o.Ndcg)));

            // Chart: per-query latency over the run, and a histogram of the scale latencies.
            var faqX = Enumerable.Range(1, outcomes.Length).Select(i => (double)i).ToArray();
            var scaleX = Enumerable.Range(1, scaleLatencies.Length).Select(i => (double)i).ToArray();
            report.Chart.Add(new ChartPanel("kb search latency per query, in process (BM25, limit 10, snippets)", "query #", "ms",
            [
                new ChartSeries($"FAQ relevance run ({answers.Count} articles)", faqX, outcomes.Select(o => o.Ms).ToArray()),
                new ChartSeries($"scale run ({scaleImport.Published:N0} articles)", scaleX, scaleLatencies),
                new ChartSeries("target p99 20 ms", [1, Math.Max(faqX.Length, scaleX.Length)], [20, 20], Dashed: true),
            ], LogY: true));
            var (binX, binY) = Histogram(scaleLatencies, 0.5);
            report.Chart.Add(new ChartPanel($"latency histogram at {scaleImport.Published:N0} articles (0.5 ms bins; p50 {scaleStats.P50:0.00} ms, p99 {scaleStats.P99:0.00} ms)", "ms", "queries",
                [new ChartSeries("queries", binX, binY, Bars: true)]));
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                Log.Line($"kb: could not delete {temp}");
            }
        }

        report.WallSeconds = Clock.Now - wallStart;
        return report;
    }

    private static QueryOutcome Score(string query, string type, double ms, List<string> ranked, HashSet<string> relevant)
    {
        double dcg = 0, ideal = 0;
        var first = 0;
        for (var i = 0; i < Math.Min(Limit, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
                first = first == 0 ? i + 1 : first;
            }
        }

        for (var i = 0; i < Math.Min(Limit, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return new QueryOutcome(query, type, ms, relevant.Count, first, ideal > 0 ? dcg / ideal : 0, ranked.Count);
    }

    internal static List<FaqPair> LoadFaq(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsArray() ?? throw new BenchFailedException("the FAQ corpus is not a JSON array");
        var list = new List<FaqPair>();
        foreach (var item in root)
        {
            if (item is null || (int?)item["label"] != 1)
            {
                continue;
            }

            var q = ((string?)item["question"])?.Trim();
            var a = ((string?)item["answer"])?.Trim();
            if (!string.IsNullOrEmpty(q) && !string.IsNullOrEmpty(a))
            {
                list.Add(new FaqPair(q, a, (string?)item["query_type"] ?? "unknown"));
            }
        }

        return list;
    }

    /// <summary>The first sentence, or the first 12 words when it is longer than that.</summary>
    internal static string TitleOf(string text)
    {
        var clean = Whitespace().Replace(text.Replace("[[", "", StringComparison.Ordinal).Replace("]]", "", StringComparison.Ordinal), " ").Trim();
        var end = clean.IndexOfAny(['.', '?', '!']);
        var sentence = end > 0 ? clean[..(end + 1)] : clean;
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 12 ? sentence : string.Join(' ', words.Take(12)) + "…";
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    internal static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    private static readonly JsonSerializerOptions YamlString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <returns>The bytes written.</returns>
    internal static long WriteArticle(string root, string category, string slug, string title, string body)
    {
        var folder = Path.Combine(root, "en", category);
        Directory.CreateDirectory(folder);
        // A JSON string is a valid YAML double-quoted scalar.
        var text = $"---\ntitle: {JsonSerializer.Serialize(title, YamlString)}\nslug: {slug}\ncategory: {category}\nlocale: en\naudience: public\nupdated: 2026-11-25\n---\n{body}\n";
        File.WriteAllText(Path.Combine(folder, slug + ".md"), text);
        return Encoding.UTF8.GetByteCount(text);
    }

    private sealed record RepoArticle(string Category, string Title, string Text);

    /// <summary>The repo's English articles, rendered to plain text by the product's parser.</summary>
    private static List<RepoArticle> ReadRepoArticles(string contentRoot)
    {
        var folder = Path.Combine(RepoPaths.Root, "kb-content", "en");
        var list = new List<RepoArticle>();
        if (!Directory.Exists(folder))
        {
            return list;
        }

        using var kb = Engine.Open(Path.Combine(contentRoot, "parse-only-index"), contentRoot, KnowledgeRanking.Bm25);
        foreach (var file in Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = "en/" + Path.GetRelativePath(folder, file).Replace('\\', '/');
            var (article, _) = kb.Parser.ParseAndRender(File.ReadAllText(file), relative);
            if (article is not null && article.Audience == KnowledgeAudience.Public)
            {
                list.Add(new RepoArticle(article.Category, article.Title, article.PlainText));
            }
        }

        return list;
    }

    private static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static async Task<(QueryOutcome[] Outcomes, ImportReport Import)> EvaluateAsync(
        KnowledgeRanking mode, string indexPath, string temp, string content,
        IReadOnlyList<(string Query, string Type, HashSet<string> Slugs)> relevant, IReadOnlyDictionary<string, string> titleOfSlug, CancellationToken cancellationToken)
    {
        using var kb = Engine.Open(indexPath, temp, mode);
        var import = await kb.Importer.ImportAsync(content, cancellationToken: cancellationToken);
        if (import.Errors.Count > 0)
        {
            throw new BenchFailedException("FAQ import failed: " + string.Join("; ", import.Errors.Take(3)));
        }

        // Warm-up: one unmeasured pass over every query (JIT tiering, Lucene's caches, the model), as in a server that has been up a while.
        foreach (var q in relevant)
        {
            await kb.Search.SearchAsync(new KnowledgeQuery(q.Query, Locale, Limit: Limit), cancellationToken);
        }

        var outcomes = new QueryOutcome[relevant.Count];
        for (var i = 0; i < relevant.Count; i++)
        {
            var (query, type, slugs) = relevant[i];
            var start = Stopwatch.GetTimestamp();
            var hits = await kb.Search.SearchAsync(new KnowledgeQuery(query, Locale, Limit: Limit), cancellationToken);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            outcomes[i] = Score(query, type, ms, hits.Select(h => h.Slug).ToList(), slugs) with { TopTitle = hits.Count > 0 ? hits[0].Title : "" };
            if (Environment.GetEnvironmentVariable("KB_BENCH_DEBUG") == "1" && outcomes[i].FirstRelevantRank != 1)
            {
                Log.Line($"{mode} miss [{type}] \"{query}\" rank {outcomes[i].FirstRelevantRank}: top \"{outcomes[i].TopTitle}\" ({hits.FirstOrDefault()?.Score}) expected \"{string.Join(" | ", slugs.Select(x => titleOfSlug[x]))}\"");
            }
        }

        return (outcomes, import);
    }

    private static (double[] X, double[] Y) Histogram(double[] values, double width)
    {
        if (values.Length == 0)
        {
            return ([], []);
        }

        var cap = LatencyLog.Percentile([.. values.Order()], 99.5);
        var bins = new SortedDictionary<double, double>();
        foreach (var v in values)
        {
            var bin = Math.Floor(Math.Min(v, cap) / width) * width + width / 2;
            bins[bin] = bins.GetValueOrDefault(bin) + 1;
        }

        return (bins.Keys.ToArray(), bins.Values.ToArray());
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The product's knowledge services on one index folder, built through the same DI extension as the app.</summary>
    internal sealed class Engine : IDisposable
    {
        private readonly IHost _host;

        private Engine(IHost host) => _host = host;

        public IKnowledgeSearch Search => _host.Services.GetRequiredService<IKnowledgeSearch>();

        public IServiceProvider Services => _host.Services;

        public KnowledgeImporter Importer => _host.Services.GetRequiredService<KnowledgeImporter>();

        public KnowledgeArticleParser Parser => _host.Services.GetRequiredService<KnowledgeArticleParser>();

        public static Engine Open(string indexPath, string contentRoot, KnowledgeRanking ranking)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                EnvironmentName = "Production",
                ContentRootPath = contentRoot,
                DisableDefaults = true,
            });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Search:Engine"] = "Lucene",
                ["KnowledgeBase:IndexPath"] = indexPath,
                ["KnowledgeBase:ImportOnStart"] = "false",
                ["KnowledgeBase:Watch"] = "false",
                ["KnowledgeBase:ReimportInterval"] = "00:00:00",
                ["KnowledgeBase:Ranking:Mode"] = ranking.ToString(),
            });
            builder.Logging.ClearProviders();
            builder.AddKnowledgeBase();
            // The host is built, not started: no hosted services (import on start, watcher, Quartz) run.
            return new Engine(builder.Build());
        }

        public void Dispose() => _host.Dispose();
    }

    /// <summary>Deterministic synthetic articles and queries from real text (FAQ answers, kb-content/en).</summary>
    private sealed class Generator
    {
        private static readonly string[] Categories = ["orders", "shipping", "returns", "billing", "accounts", "products", "troubleshooting", "health"];
        private static readonly string[] Products = ["trail backpack", "ceramic mug", "rain jacket", "camping stove", "sleeping bag", "hiking boots", "water bottle", "tent", "headlamp", "gift card", "loyalty account", "mobile app"];
        private static readonly string[] Openers = ["How do I", "Can I", "What happens if I", "Why can't I", "When should I", "Is it possible to"];
        private static readonly string[] Verbs = ["return", "track", "cancel", "change", "reset", "update", "pay for", "clean", "repair", "replace", "register", "exchange"];
        private readonly List<string> _sentences;
        private readonly List<string[]> _paragraphs;
        private readonly List<string> _titles;
        private readonly Random _random;
        private long _words;
        private int _count;

        public Generator(IReadOnlyList<string> faqAnswers, IReadOnlyList<RepoArticle> repo, int seed)
        {
            _random = new Random(seed);
            var texts = faqAnswers.Select(a => a.Replace("[[", "", StringComparison.Ordinal).Replace("]]", "", StringComparison.Ordinal))
                .Concat(repo.Select(a => a.Text)).ToList();
            _paragraphs = texts.Select(Sentences).Where(p => p.Length > 0).ToList();
            _sentences = _paragraphs.SelectMany(p => p).ToList();
            _titles = repo.Select(a => a.Title).Concat(faqAnswers.Select(TitleOf)).ToList();
        }

        public double AverageWords => _count == 0 ? 0 : (double)_words / _count;

        private static string[] Sentences(string text) =>
            SentenceSplit().Split(Whitespace().Replace(text, " ").Trim()).Where(x => x.Length > 3).ToArray();

        public (string Category, string Title, string Body) Article(int i)
        {
            var category = Categories[i % Categories.Length];
            var product = Products[_random.Next(Products.Length)];
            var title = _random.Next(3) == 0
                ? $"{Openers[_random.Next(Openers.Length)]} {Verbs[_random.Next(Verbs.Length)]} my {product}?"
                : $"{_titles[_random.Next(_titles.Count)].TrimEnd('?', '.', '…')} ({product})";
            var body = new StringBuilder();
            var paragraphs = _random.Next(3, 9);
            for (var k = 0; k < paragraphs; k++)
            {
                var source = _paragraphs[_random.Next(_paragraphs.Count)];
                var take = Math.Min(source.Length, _random.Next(2, 6));
                var start = _random.Next(Math.Max(1, source.Length - take + 1));
                var sentences = source.Skip(start).Take(take).ToList();
                // Variations: a sentence from elsewhere, the product named, the order shuffled a little.
                if (_random.Next(2) == 0)
                {
                    sentences.Insert(_random.Next(sentences.Count + 1), _sentences[_random.Next(_sentences.Count)]);
                }

                if (_random.Next(3) == 0)
                {
                    sentences.Add($"This also applies to your {product} (reference {_random.Next(10000, 99999)}).");
                }

                if (k > 0 && _random.Next(4) == 0)
                {
                    body.Append("## ").Append(TitleOf(sentences[0]).TrimEnd('.', '…')).Append("\n\n");
                }

                var paragraph = string.Join(' ', sentences);
                _words += WordCount(paragraph);
                body.Append(paragraph).Append("\n\n");
            }

            _count++;
            return (category, title, body.ToString());
        }

        public List<string> Queries(int count, IReadOnlyList<string> userQueries)
        {
            var list = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var q = (i % 3) switch
                {
                    0 => userQueries[_random.Next(userQueries.Count)],
                    1 => $"{Verbs[_random.Next(Verbs.Length)]} {Products[_random.Next(Products.Length)]}",
                    _ => string.Join(' ', _titles[_random.Next(_titles.Count)].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(_random.Next(2, 7))),
                };
                if (_random.Next(5) == 0)
                {
                    q = Typo(q);
                }

                list.Add(q);
            }

            return list;
        }

        private string Typo(string text)
        {
            var words = text.Split(' ');
            var w = _random.Next(words.Length);
            if (words[w].Length >= 5)
            {
                var c = _random.Next(1, words[w].Length - 1);
                var chars = words[w].ToCharArray();
                (chars[c], chars[c + 1]) = (chars[c + 1], chars[c]);
                words[w] = new string(chars);
            }

            return string.Join(' ', words);
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9])")]
    private static partial Regex SentenceSplit();
}
