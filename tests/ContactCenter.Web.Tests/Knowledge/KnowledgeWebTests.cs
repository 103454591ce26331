using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Knowledge;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Knowledge;

/// <summary>A folder of articles in a temp folder, for a host's KnowledgeBase:ContentPath.</summary>
internal sealed class ArticleFolder : IDisposable
{
    public ArticleFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cc-tests", "kb-web-" + Guid.NewGuid().ToString("N"));
        Write("en/account/reset-password.md", "Reset your password", "reset-password", "account", "en", "public",
            "# Reset your password\n\nSelect **Forgot password** on the sign-in page. We email you a reset link.\n\n<script>alert('x')</script>");
        Write("en/billing/download-invoice.md", "Download an invoice", "download-invoice", "billing", "en", "public",
            "Go to **Billing › Invoices** and select *Download PDF*.");
        Write("en/returns/return-an-item.md", "Return an item", "return-an-item", "returns", "en", "public",
            "You can return most items within 30 days and we refund the original payment method.");
        Write("en/agent-howto/escalate-refund.md", "Escalate a large refund", "escalate-refund", "agent-howto", "en", "internal",
            "Refunds over 500 dollars need a supervisor: assign the conversation to Billing.");
        Write("zh-CN/returns/return-an-item.md", "如何退货", "return-an-item", "returns", "zh-CN", "public",
            "收到商品后三十天内可以申请退货，我们会原路退款。");
    }

    public string Path { get; }

    public void Write(string relative, string title, string slug, string category, string locale, string audience, string body)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"---\ntitle: {title}\nslug: {slug}\ncategory: {category}\ntags: [demo]\nlocale: {locale}\naudience: {audience}\nupdated: 2025-03-01\n---\n{body}\n");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The knowledge API and the public help center on the real app (Kestrel, loopback), importing a temp folder of articles.</summary>
public sealed class KnowledgeWebTests : IAsyncLifetime
{
    private readonly ArticleFolder _articles = new();
    private readonly ContactCenterHost _host;

    public KnowledgeWebTests()
    {
        _host = new ContactCenterHost(new Dictionary<string, string?>
        {
            ["KnowledgeBase:ContentPath"] = _articles.Path,
            ["KnowledgeBase:Watch"] = "false",
            ["KnowledgeBase:ReimportInterval"] = "00:00:00",
        });
    }

    public async Task InitializeAsync()
    {
        _ = _host.BaseAddress;
        var report = await _host.Services.GetRequiredService<KnowledgeImportStatus>().FirstImport.Within("the start-up import", TimeSpan.FromSeconds(60));
        Assert.Equal(5, report.Added);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _articles.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpClient> StaffClientAsync()
    {
        await _host.CreateAgentAsync("kb.agent@test.local", "KB Agent").Within("creating an agent");
        var cookies = await _host.SignInAsync("kb.agent@test.local").Within("signing in");
        return _host.CreateRealClient(cookies);
    }

    [Fact]
    public async Task Search_Anonymous_ReturnsRankedPublicArticlesAsJson()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?q=reset%20my%20password&limit=5").Within("search");
        var hits = await JsonAsync(response);

        Assert.Equal(JsonValueKind.Array, hits.ValueKind);
        var first = hits[0];
        Assert.Equal("reset-password", first.GetProperty("slug").GetString());
        Assert.Equal("Reset your password", first.GetProperty("title").GetString());
        Assert.True(first.GetProperty("score").GetDouble() > 0);
        Assert.Contains("<mark>", first.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("en", first.GetProperty("locale").GetString());
        Assert.Equal("account", first.GetProperty("category").GetString());
        Assert.Equal("/help/en/account/reset-password", first.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Search_Anonymous_NeverReturnsInternalArticles()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?q=escalate%20refund%20supervisor").Within("search");
        var hits = await JsonAsync(response);

        Assert.DoesNotContain(hits.EnumerateArray(), h => h.GetProperty("slug").GetString() == "escalate-refund");
    }

    [Fact]
    public async Task Search_SignedInStaff_AlsoReturnsInternalArticles()
    {
        using var client = await StaffClientAsync();
        using var response = await client.GetAsync("api/v1/kb/search?q=escalate%20refund%20supervisor").Within("search");
        var hits = await JsonAsync(response);

        Assert.Equal("escalate-refund", hits[0].GetProperty("slug").GetString());
        Assert.Equal("internal", hits[0].GetProperty("audience").GetString());
    }

    [Fact]
    public async Task Search_ChineseQueryWithLocale_FindsChineseArticle()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?q=" + Uri.EscapeDataString("退货") + "&locale=zh-CN").Within("search");
        var hits = await JsonAsync(response);

        Assert.Equal("如何退货", hits[0].GetProperty("title").GetString());
        Assert.Equal("zh-CN", hits[0].GetProperty("locale").GetString());
        Assert.All(hits.EnumerateArray(), h => Assert.Equal("zh-CN", h.GetProperty("locale").GetString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("q=")]
    [InlineData("q=%20%20")]
    public async Task Search_EmptyQuery_Returns400ProblemDetails(string query)
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?" + query).Within("search");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation.kb.query_required", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Search_UnknownLocale_Returns400()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?q=refund&locale=xx").Within("search");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(1000, 3)]
    public async Task Search_Limit_IsClampedBetween1And50(int limit, int expected)
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync($"api/v1/kb/search?q=the%20return%20refund%20invoice%20password%20item&limit={limit}").Within("search");
        var hits = await JsonAsync(response);

        Assert.Equal(expected, hits.GetArrayLength());
    }

    [Fact]
    public async Task Search_CategoryFilter_ReturnsOnlyThatCategory()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/search?q=refund%20invoice%20password&category=billing").Within("search");
        var hits = await JsonAsync(response);

        Assert.Equal(["download-invoice"], hits.EnumerateArray().Select(h => h.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task Suggest_Prefix_CompletesTitles()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/suggest?q=Down").Within("suggest");
        var suggestions = await JsonAsync(response);

        Assert.Equal("Download an invoice", suggestions[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Article_PublicAnonymous_ReturnsSanitisedHtml()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/articles/en/reset-password").Within("article");
        var article = await JsonAsync(response);

        var html = article.GetProperty("html").GetString()!;
        Assert.Contains("<strong>Forgot password</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2025-03-01", article.GetProperty("updated").GetString());
    }

    [Fact]
    public async Task Article_InternalAnonymous_Returns404()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/kb/articles/en/escalate-refund").Within("article");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Article_InternalStaff_ReturnsIt()
    {
        using var client = await StaffClientAsync();
        using var response = await client.GetAsync("api/v1/kb/articles/en/escalate-refund").Within("article");
        var article = await JsonAsync(response);

        Assert.Equal("internal", article.GetProperty("audience").GetString());
    }

    [Fact]
    public async Task Related_Anonymous_IsRefused()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.PostAsJsonAsync("api/v1/kb/related", new { text = "refund" }).Within("related");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Related_Staff_SuggestsArticlesForCustomerMessages()
    {
        using var client = await StaffClientAsync();
        using var response = await client.PostAsJsonAsync("api/v1/kb/related",
            new { text = "My shoes do not fit, can I return the item and get a refund?", locale = "en" }).Within("related");
        var hits = await JsonAsync(response);

        Assert.Equal("return-an-item", hits[0].GetProperty("slug").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesKnowledgeEndpoints()
    {
        using var client = _host.CreateRealClient();
        var document = await client.GetStringAsync("openapi/v1.json").Within("the API description");

        Assert.Contains("/api/v1/kb/search", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/kb/articles/{locale}/{slug}", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/kb/suggest", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpHome_Anonymous_ListsCategoriesAndSearchBox()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("help").Within("/help");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("How can we help?", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/help/search\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/help/en/billing\"", html, StringComparison.Ordinal);
        Assert.Contains("Download an invoice", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Escalate a large refund", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/help/zh-CN\"", html, StringComparison.Ordinal);
        Assert.Contains("css/help.css", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpHome_Chinese_ShowsChineseCategoriesAndArticles()
    {
        using var client = _host.CreateRealClient();
        // Blazor writes non-ASCII text as character references: compare the decoded page.
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("help/zh-CN").Within("/help/zh-CN"));

        Assert.Contains("帮助中心", html, StringComparison.Ordinal);
        Assert.Contains("退货与退款", html, StringComparison.Ordinal);
        Assert.Contains("如何退货", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Download an invoice", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpCategory_ListsItsArticles()
    {
        using var client = _host.CreateRealClient();
        var html = await client.GetStringAsync("help/en/billing").Within("/help/en/billing");

        Assert.Contains("Billing &amp; payments", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/help/en/billing/download-invoice\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Reset your password</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpArticle_RendersSanitisedHtml()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("help/en/account/reset-password").Within("article page");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<strong>Forgot password</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert('x')", html, StringComparison.Ordinal);
        Assert.Contains("1 March 2025", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help/en/account/no-such-article")]
    [InlineData("help/en/agent-howto/escalate-refund")]
    [InlineData("help/en/no-such-category")]
    [InlineData("help/fr")]
    public async Task HelpPages_MissingOrInternal_Anonymous_Answer404(string path)
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync(path).Within(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HelpSearch_ChineseQuery_ShowsHighlightedResult()
    {
        using var client = _host.CreateRealClient();
        var html = await client.GetStringAsync("help/search?locale=zh-CN&q=" + Uri.EscapeDataString("退货")).Within("help search");

        Assert.Contains("href=\"/help/zh-CN/returns/return-an-item\"", html, StringComparison.Ordinal);
        Assert.Contains("<mark>退货</mark>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpSearch_NoMatch_SaysSo()
    {
        using var client = _host.CreateRealClient();
        var html = await client.GetStringAsync("help/search?q=zzzzqqq").Within("help search");

        Assert.Contains("No articles match", html, StringComparison.Ordinal);
    }
}

/// <summary>Re-import on change: the file watcher fires the Quartz job, which imports only what changed.</summary>
public sealed class KnowledgeWatchTests : IDisposable
{
    private readonly ArticleFolder _articles = new();
    private readonly ContactCenterHost _host;

    public KnowledgeWatchTests()
    {
        _host = new ContactCenterHost(new Dictionary<string, string?>
        {
            ["KnowledgeBase:ContentPath"] = _articles.Path,
            ["KnowledgeBase:Watch"] = "true",
            ["KnowledgeBase:WatchDebounce"] = "00:00:00.200",
            ["KnowledgeBase:ReimportInterval"] = "00:00:00",
        });
    }

    public void Dispose()
    {
        _host.Dispose();
        _articles.Dispose();
    }

    private async Task<int> CountAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("api/v1/kb/search?q=" + Uri.EscapeDataString(query));
        var hits = await response.Content.ReadFromJsonAsync<JsonElement>();
        return hits.GetArrayLength();
    }

    [Fact]
    public async Task ContentChange_AddedAndDeletedFiles_AreReimported()
    {
        _ = _host.BaseAddress;
        await _host.Services.GetRequiredService<KnowledgeImportStatus>().FirstImport.Within("the start-up import", TimeSpan.FromSeconds(60));
        using var client = _host.CreateRealClient();
        Assert.Equal(0, await CountAsync(client, "gift card balance"));

        _articles.Write("en/billing/gift-cards.md", "Gift card balance", "gift-cards", "billing", "en", "public", "Check your gift card balance.");
        await Waits.UntilAsync(async () => await CountAsync(client, "gift card balance") > 0, "the new article to be searchable", TimeSpan.FromSeconds(30));

        File.Delete(Path.Combine(_articles.Path, "en/billing/gift-cards.md"));
        await Waits.UntilAsync(async () => await CountAsync(client, "gift card balance") == 0, "the deleted article to be unpublished", TimeSpan.FromSeconds(30));
    }
}
