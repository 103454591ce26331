using Bunit;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using ContactCenter.Testing;
using ContactCenter.Web.Components.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

/// <summary>The knowledge panel over a real Lucene index: suggestions from the customer's last message, inserting a link or the text.</summary>
public sealed class KnowledgePanelTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-kb-panel-" + Guid.NewGuid().ToString("N"));
    private LuceneKnowledgeSearch _search = default!;

    public async Task InitializeAsync()
    {
        _search = new LuceneKnowledgeSearch(_folder, NullLogger<LuceneKnowledgeSearch>.Instance);
        await _search.UpsertAsync(
            [
                Article("returns", "Returning an item", "Returns are free within 30 days. Print the return label from your order page and drop the parcel at any post office."),
                Article("shipping-times", "Shipping times", "Standard shipping takes 3 to 5 working days; express shipping arrives the next working day."),
            ],
            CancellationToken.None).Within("indexing the articles");
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(new KnowledgeQueries(_search));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _search.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static KnowledgeArticle Article(string slug, string title, string text) => new()
    {
        Slug = slug,
        Locale = "en",
        Title = title,
        Category = "orders",
        Html = $"<p>{text}</p>",
        PlainText = text,
        ContentHash = slug,
    };

    [Fact]
    public void SuggestFrom_CustomerMessage_ShowsTheMatchingArticle_InsertsLinkOrText()
    {
        var inserted = new List<string>();
        var cut = _context.Render<KnowledgePanel>(p => p.Add(x => x.SuggestFrom, "How do I return the item? I need a return label")
            .Add(x => x.Insert, (string text) => inserted.Add(text)));

        cut.WaitForAssertion(() => Assert.Contains("Returning an item", cut.Find("[data-testid=kb-hit]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        cut.Find("[data-testid=kb-insert]").Click();
        cut.Find("[data-testid=kb-insert-text]").Click();

        Assert.StartsWith("Returning an item: http://localhost/help/en/orders/returns", inserted[0], StringComparison.Ordinal);
        Assert.Contains("free within 30 days", inserted[1], StringComparison.Ordinal);
        Assert.DoesNotContain("<", inserted[1], StringComparison.Ordinal);
    }
}
