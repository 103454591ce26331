using System.Globalization;
using System.Text.Json;
using ContactCenter.Application.Knowledge;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries.Mlt;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Directory = System.IO.Directory;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>
/// The embedded knowledge search: a Lucene.NET index on disk ({root}/index) with BM25 scoring, and the manifest of
/// content hashes beside it ({root}/manifest.json). One IndexWriter for the process; searches go through a
/// SearcherManager that is refreshed after every commit, so readers never see a half-applied import.
/// </summary>
public sealed partial class LuceneKnowledgeSearch : IKnowledgeSearch, IDisposable
{
    private const float TitleBoost = 4f;
    private const float TagsBoost = 2f;
    private const float BodyBoost = 1f;
    private const float FuzzyFactor = 0.3f;
    private const int MinFuzzyLength = 4;

    private readonly string _root;
    private readonly ILogger<LuceneKnowledgeSearch> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Threading.Lock _openLock = new();
    private State? _state;
    private bool _disposed;

    public LuceneKnowledgeSearch(string root, ILogger<LuceneKnowledgeSearch> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _logger = logger;
    }

    public string IndexFolder => Path.Combine(_root, "index");

    public string ManifestPath => Path.Combine(_root, "manifest.json");

    public async Task UpsertAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count == 0)
        {
            return;
        }

        await WriteAsync(state =>
        {
            foreach (var article in articles)
            {
                state.Writer.UpdateDocument(new Term(LuceneFields.Id, LuceneFields.IdOf(article.Key)), ToDocument(article));
                state.Manifest[article.Key] = article.ContentHash;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(IReadOnlyCollection<ArticleKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await WriteAsync(state =>
        {
            state.Writer.DeleteDocuments(keys.Select(k => new Term(LuceneFields.Id, LuceneFields.IdOf(k))).ToArray());
            foreach (var key in keys)
            {
                state.Manifest.Remove(key);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReindexAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        await WriteAsync(state =>
        {
            // Searchers keep the last commit until the refresh after this one: search never sees an empty index.
            state.Writer.DeleteAll();
            state.Manifest.Clear();
            foreach (var article in articles)
            {
                state.Writer.AddDocument(ToDocument(article));
                state.Manifest[article.Key] = article.ContentHash;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<ArticleKey, string>> GetManifestAsync(CancellationToken cancellationToken)
    {
        var state = Open();
        lock (state.Manifest)
        {
            return Task.FromResult<IReadOnlyDictionary<ArticleKey, string>>(new Dictionary<ArticleKey, string>(state.Manifest));
        }
    }

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = Open();
        var locales = LocalesOf(query.Locale);
        var text = BuildTextQuery(state.Analyzer, query.Text, locales);
        if (text.Clauses.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<KnowledgeHit>>([]);
        }

        return Task.FromResult(Search(state, text, Filter(query.Locale, query.Category, query.Audience), query.Limit));
    }

    public Task<IReadOnlyList<KnowledgeSuggestion>> SuggestAsync(KnowledgeSuggestQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = Open();
        var prefix = query.Prefix.Trim().ToLowerInvariant();
        if (prefix.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<KnowledgeSuggestion>>([]);
        }

        var suggest = new BooleanQuery
        {
            { new PrefixQuery(new Term(LuceneFields.TitleKeyword, prefix)) { Boost = 3f }, Occur.SHOULD },
        };
        var words = LuceneFields.Terms(state.Analyzer, LuceneFields.TitlePrefix, query.Prefix, 12);
        if (words.Count > 0)
        {
            var typed = new BooleanQuery();
            var complete = char.IsWhiteSpace(query.Prefix[^1]);
            for (var i = 0; i < words.Count; i++)
            {
                var term = new Term(LuceneFields.TitlePrefix, words[i]);
                typed.Add(i == words.Count - 1 && !complete ? new PrefixQuery(term) : new TermQuery(term), Occur.MUST);
            }

            suggest.Add(typed, Occur.SHOULD);
        }

        var searcher = state.Searchers.Acquire();
        try
        {
            var top = searcher.Search(suggest, Filter(query.Locale, null, query.Audience), query.Limit);
            var suggestions = top.ScoreDocs
                .Select(d => searcher.Doc(d.Doc))
                .Select(d => new KnowledgeSuggestion(d.Get(LuceneFields.Slug), d.Get(LuceneFields.Locale), d.Get(LuceneFields.Title), d.Get(LuceneFields.Category)))
                .ToList();
            return Task.FromResult<IReadOnlyList<KnowledgeSuggestion>>(suggestions);
        }
        finally
        {
            state.Searchers.Release(searcher);
        }
    }

    public Task<IReadOnlyList<KnowledgeHit>> MoreLikeThisAsync(KnowledgeMoreLikeThisQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = Open();
        var searcher = state.Searchers.Acquire();
        BooleanQuery like;
        try
        {
            like = new BooleanQuery();
            foreach (var locale in LocalesOf(query.Locale))
            {
                var mlt = new MoreLikeThis(searcher.IndexReader)
                {
                    Analyzer = state.Analyzer,
                    FieldNames = [LuceneFields.TitleOf(locale), LuceneFields.TagsOf(locale), LuceneFields.BodyOf(locale)],
                    MinTermFreq = 1,
                    MinDocFreq = 1,
                    MaxQueryTerms = 25,
                    ApplyBoost = true,
                };
                using var reader = new StringReader(query.Text);
                var localeQuery = mlt.Like(reader, LuceneFields.BodyOf(locale));
                if (localeQuery is BooleanQuery { Clauses.Count: > 0 })
                {
                    like.Add(localeQuery, Occur.SHOULD);
                }
            }
        }
        finally
        {
            state.Searchers.Release(searcher);
        }

        return like.Clauses.Count == 0
            ? Task.FromResult<IReadOnlyList<KnowledgeHit>>([])
            : Task.FromResult(Search(state, like, Filter(query.Locale, null, query.Audience), query.Limit));
    }

    public Task<KnowledgeArticle?> GetAsync(ArticleKey key, CancellationToken cancellationToken)
    {
        var state = Open();
        var searcher = state.Searchers.Acquire();
        try
        {
            var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, LuceneFields.IdOf(key))), 1);
            return Task.FromResult(top.TotalHits == 0 ? null : ToArticle(searcher.Doc(top.ScoreDocs[0].Doc)));
        }
        finally
        {
            state.Searchers.Release(searcher);
        }
    }

    public Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(KnowledgeListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = Open();
        var searcher = state.Searchers.Acquire();
        try
        {
            var top = searcher.Search(new MatchAllDocsQuery(), Filter(query.Locale, query.Category, query.Audience), Math.Max(1, query.Limit));
            var list = top.ScoreDocs
                .Select(d => searcher.Doc(d.Doc))
                .Select(d => new KnowledgeArticleSummary(d.Get(LuceneFields.Slug), d.Get(LuceneFields.Locale), d.Get(LuceneFields.Title),
                    d.Get(LuceneFields.Category), AudienceOf(d), d.GetValues(LuceneFields.Tag), UpdatedOf(d)))
                .OrderBy(a => a.Category, StringComparer.Ordinal)
                .ThenBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase)
                .ToList();
            return Task.FromResult<IReadOnlyList<KnowledgeArticleSummary>>(list);
        }
        finally
        {
            state.Searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _state?.Dispose();
            _state = null;
        }

        _writeGate.Dispose();
    }

    /// <summary>
    /// The query of a search text: per locale, every analysed term on title, tags and body (boosted in that order), a sloppy
    /// phrase for several terms, and fuzzy variants of longer terms with a lower weight (typo tolerance).
    /// </summary>
    internal static BooleanQuery BuildTextQuery(Analyzer analyzer, string text, IReadOnlyList<string> locales)
    {
        var query = new BooleanQuery();
        foreach (var locale in locales)
        {
            var fuzzy = locale == KnowledgeLocales.English;
            foreach (var (field, boost) in new[] { (LuceneFields.TitleOf(locale), TitleBoost), (LuceneFields.TagsOf(locale), TagsBoost), (LuceneFields.BodyOf(locale), BodyBoost) })
            {
                var terms = LuceneFields.Terms(analyzer, field, text, 24);
                foreach (var term in terms.Distinct(StringComparer.Ordinal))
                {
                    query.Add(new TermQuery(new Term(field, term)) { Boost = boost }, Occur.SHOULD);
                    if (fuzzy && term.Length >= MinFuzzyLength)
                    {
                        var edits = term.Length >= 8 ? 2 : 1;
                        query.Add(new FuzzyQuery(new Term(field, term), edits, 1) { Boost = boost * FuzzyFactor }, Occur.SHOULD);
                    }
                }

                if (terms.Count > 1 && field != LuceneFields.TagsOf(locale))
                {
                    var phrase = new PhraseQuery { Slop = 3, Boost = boost };
                    foreach (var term in terms)
                    {
                        phrase.Add(new Term(field, term));
                    }

                    query.Add(phrase, Occur.SHOULD);
                }
            }
        }

        return query;
    }

    private static IReadOnlyList<string> LocalesOf(string? locale) =>
        KnowledgeLocales.Normalize(locale) is { } one ? [one] : KnowledgeLocales.All;

    private static Filter? Filter(string? locale, string? category, AudienceFilter audience)
    {
        var filter = new BooleanQuery();
        if (KnowledgeLocales.Normalize(locale) is { } canonical)
        {
            filter.Add(new TermQuery(new Term(LuceneFields.Locale, canonical)), Occur.MUST);
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            filter.Add(new TermQuery(new Term(LuceneFields.Category, category.Trim())), Occur.MUST);
        }

        if (audience == AudienceFilter.PublicOnly)
        {
            filter.Add(new TermQuery(new Term(LuceneFields.Audience, "public")), Occur.MUST);
        }

        return filter.Clauses.Count == 0 ? null : new QueryWrapperFilter(filter);
    }

    private IReadOnlyList<KnowledgeHit> Search(State state, Query query, Filter? filter, int limit)
    {
        var searcher = state.Searchers.Acquire();
        try
        {
            var top = searcher.Search(query, filter, Math.Max(1, limit));
            var hits = new List<KnowledgeHit>(top.ScoreDocs.Length);
            foreach (var scoreDoc in top.ScoreDocs)
            {
                var doc = searcher.Doc(scoreDoc.Doc);
                var locale = doc.Get(LuceneFields.Locale);
                var text = doc.Get(LuceneFields.Text) ?? "";
                hits.Add(new KnowledgeHit(doc.Get(LuceneFields.Slug), locale, doc.Get(LuceneFields.Title), doc.Get(LuceneFields.Category),
                    AudienceOf(doc), Math.Round(scoreDoc.Score, 4), Highlight(state.Analyzer, query, locale, text)));
            }

            return hits;
        }
        finally
        {
            state.Searchers.Release(searcher);
        }
    }

    /// <summary>The best passages of the text with the query's matches in &lt;mark&gt; (everything else HTML-encoded).</summary>
    private string Highlight(Analyzer analyzer, Query query, string locale, string text)
    {
        var field = LuceneFields.BodyOf(locale);
        var length = Snippets.LengthFor(locale);
        try
        {
            var scorer = new QueryScorer(query, field);
            var highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new MinimalHtmlEncoder(), scorer)
            {
                TextFragmenter = new SimpleSpanFragmenter(scorer, length),
            };
            using var tokens = analyzer.GetTokenStream(field, text);
            var fragments = highlighter.GetBestFragments(tokens, text, 2)
                .Select(Snippets.Tidy).Where(f => f.Length > 0).ToList();
            return fragments.Count == 0 ? Snippets.Lead(text, length) : string.Join(" … ", fragments);
        }
        catch (InvalidTokenOffsetsException ex)
        {
            LogHighlightFailed(ex);
            return Snippets.Lead(text, length);
        }
    }

    private async Task WriteAsync(Action<State> change, CancellationToken cancellationToken)
    {
        var state = Open();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (state.Manifest)
            {
                try
                {
                    change(state);
                    state.Writer.Commit();
                }
                catch
                {
                    state.Writer.Rollback();
                    state.Reopen();
                    throw;
                }
            }

            state.Searchers.MaybeRefreshBlocking();
            state.SaveManifest();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private State Open()
    {
        var state = Volatile.Read(ref _state);
        if (state is not null)
        {
            return state;
        }

        lock (_openLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_state is null)
            {
                Directory.CreateDirectory(IndexFolder);
                _state = new State(IndexFolder, ManifestPath);
                LogOpened(IndexFolder, _state.Manifest.Count);
            }

            return _state;
        }
    }

    private static Document ToDocument(KnowledgeArticle article)
    {
        var locale = article.Locale;
        var doc = new Document
        {
            new StringField(LuceneFields.Id, LuceneFields.IdOf(article.Key), Field.Store.YES),
            new StringField(LuceneFields.Slug, article.Slug, Field.Store.YES),
            new StringField(LuceneFields.Locale, locale, Field.Store.YES),
            new StringField(LuceneFields.Category, article.Category, Field.Store.YES),
            new StringField(LuceneFields.Audience, LuceneFields.AudienceValue(article.Audience), Field.Store.YES),
            new StoredField(LuceneFields.Hash, article.ContentHash),
            new StoredField(LuceneFields.Source, article.SourcePath),
            new StoredField(LuceneFields.Title, article.Title),
            new StoredField(LuceneFields.Markdown, article.Markdown),
            new StoredField(LuceneFields.Html, article.Html),
            new StoredField(LuceneFields.Text, article.PlainText),
            new TextField(LuceneFields.TitleOf(locale), article.Title, Field.Store.NO),
            new TextField(LuceneFields.TagsOf(locale), string.Join(" , ", article.Tags), Field.Store.NO),
            new TextField(LuceneFields.BodyOf(locale), article.PlainText, Field.Store.NO),
            new TextField(LuceneFields.TitlePrefix, article.Title, Field.Store.NO),
            new StringField(LuceneFields.TitleKeyword, article.Title.ToLowerInvariant(), Field.Store.NO),
        };
        foreach (var tag in article.Tags)
        {
            doc.Add(new StoredField(LuceneFields.Tag, tag));
        }

        if (article.Updated is { } updated)
        {
            doc.Add(new StoredField(LuceneFields.Updated, updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        return doc;
    }

    private static KnowledgeArticle ToArticle(Document doc) => new()
    {
        Slug = doc.Get(LuceneFields.Slug),
        Locale = doc.Get(LuceneFields.Locale),
        Title = doc.Get(LuceneFields.Title),
        Category = doc.Get(LuceneFields.Category),
        Tags = doc.GetValues(LuceneFields.Tag),
        Audience = AudienceOf(doc),
        Updated = UpdatedOf(doc),
        Markdown = doc.Get(LuceneFields.Markdown) ?? "",
        Html = doc.Get(LuceneFields.Html) ?? "",
        PlainText = doc.Get(LuceneFields.Text) ?? "",
        ContentHash = doc.Get(LuceneFields.Hash) ?? "",
        SourcePath = doc.Get(LuceneFields.Source) ?? "",
    };

    private static KnowledgeAudience AudienceOf(Document doc) =>
        doc.Get(LuceneFields.Audience) == "internal" ? KnowledgeAudience.Internal : KnowledgeAudience.Public;

    private static DateOnly? UpdatedOf(Document doc) =>
        DateOnly.TryParseExact(doc.Get(LuceneFields.Updated), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    [LoggerMessage(EventId = 8110, Level = LogLevel.Information, Message = "Knowledge index opened at {Folder} with {Articles} articles")]
    private partial void LogOpened(string folder, int articles);

    [LoggerMessage(EventId = 8111, Level = LogLevel.Debug, Message = "Knowledge snippet could not be highlighted")]
    private partial void LogHighlightFailed(Exception error);

    /// <summary>The open index: directory, writer, searcher manager, analyser and the manifest.</summary>
    private sealed class State : IDisposable
    {
        private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
        private readonly LuceneDirectory _directory;
        private readonly string _manifestFile;

        public State(string folder, string manifestFile)
        {
            _manifestFile = manifestFile;
            Analyzer = LuceneFields.CreateAnalyzer();
            _directory = FSDirectory.Open(folder);
            (Writer, Searchers) = OpenWriter();
            Manifest = LoadManifest();
        }

        public Analyzer Analyzer { get; }

        public IndexWriter Writer { get; private set; }

        public SearcherManager Searchers { get; private set; }

        public Dictionary<ArticleKey, string> Manifest { get; }

        /// <summary>After a failed write the writer is closed by Rollback: open a fresh one on the last commit.</summary>
        public void Reopen()
        {
            Searchers.Dispose();
            (Writer, Searchers) = OpenWriter();
            Manifest.Clear();
            foreach (var (key, hash) in ReadManifestFromIndex())
            {
                Manifest[key] = hash;
            }
        }

        public void SaveManifest()
        {
            Dictionary<string, string> copy;
            lock (Manifest)
            {
                copy = Manifest.ToDictionary(p => p.Key.ToString(), p => p.Value, StringComparer.Ordinal);
            }

            var temp = _manifestFile + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(new ManifestFile(1, new SortedDictionary<string, string>(copy, StringComparer.Ordinal)), Json));
            File.Move(temp, _manifestFile, overwrite: true);
        }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            _directory.Dispose();
            Analyzer.Dispose();
        }

        private (IndexWriter, SearcherManager) OpenWriter()
        {
            var config = new IndexWriterConfig(LuceneFields.Version, Analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = new BM25Similarity(),
            };
            var writer = new IndexWriter(_directory, config);
            if (!DirectoryReader.IndexExists(_directory))
            {
                writer.Commit();
            }

            return (writer, new SearcherManager(writer, true, new Bm25SearcherFactory()));
        }

        /// <summary>The manifest file, or (missing, unreadable, or not matching the index) the hashes stored in the index itself.</summary>
        private Dictionary<ArticleKey, string> LoadManifest()
        {
            var fromIndex = ReadManifestFromIndex();
            try
            {
                if (File.Exists(_manifestFile))
                {
                    var file = JsonSerializer.Deserialize<ManifestFile>(File.ReadAllText(_manifestFile));
                    var fromFile = new Dictionary<ArticleKey, string>();
                    foreach (var (id, hash) in file?.Articles ?? [])
                    {
                        var slash = id.IndexOf('/', StringComparison.Ordinal);
                        if (slash > 0)
                        {
                            fromFile[new ArticleKey(id[..slash], id[(slash + 1)..])] = hash;
                        }
                    }

                    if (fromFile.Count == fromIndex.Count && fromFile.All(p => fromIndex.TryGetValue(p.Key, out var h) && h == p.Value))
                    {
                        return fromFile;
                    }
                }
            }
            catch (JsonException)
            {
                // Rebuilt from the index below.
            }

            return fromIndex;
        }

        private Dictionary<ArticleKey, string> ReadManifestFromIndex()
        {
            var manifest = new Dictionary<ArticleKey, string>();
            var searcher = Searchers.Acquire();
            try
            {
                var reader = searcher.IndexReader;
                var liveDocs = MultiFields.GetLiveDocs(reader);
                for (var i = 0; i < reader.MaxDoc; i++)
                {
                    if (liveDocs is not null && !liveDocs.Get(i))
                    {
                        continue;
                    }

                    var doc = reader.Document(i, new HashSet<string> { LuceneFields.Locale, LuceneFields.Slug, LuceneFields.Hash });
                    manifest[new ArticleKey(doc.Get(LuceneFields.Locale), doc.Get(LuceneFields.Slug))] = doc.Get(LuceneFields.Hash) ?? "";
                }
            }
            finally
            {
                Searchers.Release(searcher);
            }

            return manifest;
        }
    }

    private sealed record ManifestFile(int Version, SortedDictionary<string, string> Articles);

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}
