using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Assist;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Knowledge;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Assist;

/// <summary>The overflow assistant over a real SQLite file, with a one-article knowledge base and a stand-in embedding model.</summary>
public sealed class AfterHoursAssistantTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Inbox _chat = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?> { ["Assist:Assistant:OverflowAfter"] = "00:00:00", ["Assist:Assistant:HelpCenterUrl"] = "https://help.example.com" },
            services =>
            {
                services.AddSingleton<IKnowledgeSearch, OneArticle>();
                services.AddSingleton<ITextEmbedder, KeywordEmbedder>();
            });
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, null).Value;
        _chat.SetSetting(AfterHoursAssistant.InboxSetting, "overflow");
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(_chat);
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Question_TheKnowledgeBaseAnswers_BotCitesAndLinksTheArticle_AndAsksIfItHelped()
    {
        var id = await ReceiveAsync("q1", "How do I reset my password?");
        var bot = Assert.Single(await BotMessagesAsync(id));
        Assert.Contains("Reset your password", bot.Text, StringComparison.Ordinal);
        Assert.Contains("https://help.example.com/help/en/reset-password", bot.Text, StringComparison.Ordinal);
        Assert.Contains("Did this help?", bot.Text, StringComparison.Ordinal);
        Assert.Contains("automated", bot.AuthorName, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await TimelineAsync(id), t => t.Kind == TimelineKind.AssistantAnswered && t.To == "reset-password");
    }

    [Theory]
    [InlineData("talk to a human")]
    [InlineData("Talk to a human please!")]
    [InlineData("human")]
    [InlineData("can I speak to a real person")]
    [InlineData("AGENT")]
    [InlineData("I want to leave a message")]
    [InlineData("转人工")]
    [InlineData("人工")]
    [InlineData("我要找真人客服")]
    public async Task AskingForAPerson_AlwaysHandsOver_EvenWhenTheKnowledgeBaseCouldAnswer(string text)
    {
        var id = await ReceiveAsync("p1", "How do I reset my password?");
        var handover = await ReceiveAsync("p2", text + " (password reset)");
        Assert.Equal(id, handover);

        var conversation = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.NotNull(conversation.AssistantHandedOverAt);
        Assert.NotNull(conversation.WaitingSince);
        var handedOver = Assert.Single(await TimelineAsync(id), t => t.Kind == TimelineKind.HandedOver);
        Assert.Contains("asked for a person", handedOver.Note, StringComparison.Ordinal);
        Assert.Contains("Summary:", handedOver.Note, StringComparison.Ordinal);
        var last = (await BotMessagesAsync(id))[^1];
        Assert.True(last.Text.Contains("team", StringComparison.Ordinal) || last.Text.Contains("人工", StringComparison.Ordinal));

        // From now on the assistant stays quiet.
        await ReceiveAsync("p3", "How do I reset my password?");
        Assert.Equal(2, (await BotMessagesAsync(id)).Count);
    }

    [Fact]
    public void AsksForHuman_PhrasesThatAreNotRequests_AreNotMistaken()
    {
        Assert.False(AssistantPhrases.AsksForHuman("How do I reset my password?"));
        Assert.False(AssistantPhrases.AsksForHuman("Where is my parcel?"));
        Assert.True(AssistantPhrases.AsksForHuman("talk to a human"));
        Assert.True(AssistantPhrases.AsksForHuman("转人工"));
    }

    [Fact]
    public async Task QuestionTheKnowledgeBaseCannotAnswer_HandsOverInsteadOfGuessing()
    {
        var id = await ReceiveAsync("n1", "My parcel arrived broken, what now?");
        var bot = Assert.Single(await BotMessagesAsync(id));
        Assert.Contains("passed your conversation to our team", bot.Text, StringComparison.Ordinal);
        Assert.Contains(await TimelineAsync(id), t => t.Kind == TimelineKind.HandedOver && t.Note!.Contains("not confident", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InboxWithoutTheAssistant_StaysQuiet()
    {
        var quiet = Inbox.Create("Quiet", ChannelKind.WebChat, null).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(quiet);
            return await db.SaveChangesAsync();
        });
        var id = await ReceiveAsync("x1", "How do I reset my password?", quiet);
        Assert.Empty(await BotMessagesAsync(id));
    }

    private async Task<ConversationId> ReceiveAsync(string externalId, string text, Inbox? inbox = null)
    {
        inbox ??= _chat;
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), "visitor"), "Visitor", externalId, text),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!.ConversationId;
    }

    private Task<List<Message>> BotMessagesAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.ConversationId == id && m.AuthorKind == AuthorKind.Bot).OrderBy(m => m.CreatedAt).ToListAsync());

    private Task<List<TimelineEntry>> TimelineAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.ConversationId == id).OrderBy(t => t.OccurredAt).ToListAsync());

    /// <summary>A stand-in model: texts about passwords point one way, everything else another.</summary>
    private sealed class KeywordEmbedder : ITextEmbedder
    {
        public IReadOnlyCollection<string> Locales { get; } = [KnowledgeLocales.English];

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            texts.Select(t => t.Contains("password", StringComparison.OrdinalIgnoreCase) ? new[] { 1f, 0f } : [0f, 1f]).ToList();
    }

    /// <summary>A knowledge base of one public English article, returned for any search.</summary>
    private sealed class OneArticle : IKnowledgeSearch
    {
        private static readonly KnowledgeArticle Article = new()
        {
            Slug = "reset-password", Locale = KnowledgeLocales.English, Title = "Reset your password", Category = "account",
            Audience = KnowledgeAudience.Public, Tags = [], Markdown = "Use the link on the sign-in page.", Html = "<p>Use the link on the sign-in page.</p>",
            PlainText = "Use the link on the sign-in page.", ContentHash = "h", SourcePath = "en/account/reset-password.md",
        };

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KnowledgeHit>>([new KnowledgeHit(Article.Slug, Article.Locale, Article.Title, Article.Category, Article.Audience, 1, "")]);

        public Task<KnowledgeArticle?> GetAsync(ArticleKey key, CancellationToken cancellationToken) => Task.FromResult<KnowledgeArticle?>(Article);

        public Task UpsertAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveAsync(IReadOnlyCollection<ArticleKey> keys, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ReindexAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<ArticleKey, string>> GetManifestAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<KnowledgeSuggestion>> SuggestAsync(KnowledgeSuggestQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<KnowledgeHit>> MoreLikeThisAsync(KnowledgeMoreLikeThisQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(KnowledgeListQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
