using Bunit;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Components.Console;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed class InboxListTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();

    public InboxListTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only.
    public async Task DisposeAsync() => await _context.DisposeAsync();

    private IRenderedComponent<InboxList> RenderInbox(Action<ComponentParameterCollectionBuilder<InboxList>> parameters) =>
        _context.Render(parameters);

    private static ConversationSummaryDto Conversation(long number, string contact, string preview, ConversationStatus status = ConversationStatus.Open, Priority priority = Priority.Normal, string? assignee = null) =>
        new(Guid.NewGuid(), number, ChannelKind.WebChat, Guid.NewGuid(), Guid.NewGuid(), contact, "Subject " + number, status, null, priority,
            null, assignee is null ? null : Guid.NewGuid(), assignee, preview, Now.AddMinutes(-5), null, Now.AddMinutes(-10), Now.AddMinutes(-5), [], 1);

    [Fact]
    public void Render_WithConversations_ShowsEachWithPreviewStatusAndNumber()
    {
        var items = new List<ConversationSummaryDto>
        {
            Conversation(1001, "María García", "My mug arrived broken"),
            Conversation(1002, "Tom Baker", "Where is my parcel?", ConversationStatus.New, Priority.Urgent, "Alice"),
        };

        var cut = RenderInbox(p => p.Add(x => x.Conversations, items).Add(x => x.Now, Now));

        var rows = cut.FindAll("[data-testid=inbox-item]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("María García", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("My mug arrived broken", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("#1001", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("5m", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Urgent", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Alice", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=inbox-empty]"));
    }

    [Fact]
    public void Render_Empty_ShowsEmptyState()
    {
        var cut = RenderInbox(p => p.Add(x => x.Conversations, Array.Empty<ConversationSummaryDto>()));
        Assert.Single(cut.FindAll("[data-testid=inbox-empty]"));
    }

    [Fact]
    public void Click_OnConversation_RaisesSelectedWithItsId()
    {
        var items = new List<ConversationSummaryDto> { Conversation(1, "A", "a"), Conversation(2, "B", "b") };
        Guid? selected = null;
        var cut = RenderInbox(p => p.Add(x => x.Conversations, items).Add(x => x.Selected, (Guid id) => selected = id));

        cut.FindAll("[data-testid=inbox-item]")[1].Click();

        Assert.Equal(items[1].Id, selected);
    }

    [Fact]
    public void Keyboard_EnterOnConversation_RaisesSelected()
    {
        var items = new List<ConversationSummaryDto> { Conversation(1, "A", "a") };
        Guid? selected = null;
        var cut = RenderInbox(p => p.Add(x => x.Conversations, items).Add(x => x.Selected, (Guid id) => selected = id));

        cut.Find("[data-testid=inbox-item]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal(items[0].Id, selected);
    }

    [Fact]
    public void Render_SelectedConversation_IsMarkedSelected()
    {
        var items = new List<ConversationSummaryDto> { Conversation(1, "A", "a"), Conversation(2, "B", "b") };
        var cut = RenderInbox(p => p.Add(x => x.Conversations, items).Add(x => x.SelectedId, items[0].Id));
        var rows = cut.FindAll("[data-testid=inbox-item]");
        Assert.Equal("true", rows[0].GetAttribute("aria-selected"));
        Assert.Equal("false", rows[1].GetAttribute("aria-selected"));
    }

    [Fact]
    public void Render_Counts_ShowBadgesForMineAndUnassigned()
    {
        var cut = RenderInbox(p => p.Add(x => x.Conversations, Array.Empty<ConversationSummaryDto>()).Add(x => x.Counts, new InboxCounts(3, 7, 9, 20)));
        Assert.Contains("3", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("7", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ContactNameWithMarkup_IsEncodedNotInjected()
    {
        var items = new List<ConversationSummaryDto> { Conversation(1, "<img src=x onerror=alert(1)>", "<script>alert(2)</script>") };
        var cut = RenderInbox(p => p.Add(x => x.Conversations, items));
        Assert.Empty(cut.FindAll("img[onerror]"));
        Assert.Empty(cut.FindAll(".cc-inbox-list script"));
        Assert.Contains("&lt;script&gt;", cut.Markup, StringComparison.Ordinal);
    }

    /// <summary>A stand-in for the hub's paged list: keyset after a row, or skip, over a list kept in the inbox order.</summary>
    private sealed class PagedServer(List<ConversationSummaryDto> rows)
    {
        public List<InboxPageRequest> Requests { get; } = [];

        public List<ConversationSummaryDto> Rows { get; } = rows;

        public Task<InboxPage> PageAsync(InboxPageRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var start = request.After is { } after ? Rows.FindIndex(r => r.Number == after.Number) + 1 : request.Skip;
            return Task.FromResult(new InboxPage(Rows.Skip(start).Take(request.Take).ToList(), Rows.Count));
        }
    }

    [Fact]
    public async Task ItemsProvider_TenThousandConversations_RendersOnlyAWindowThenALiveUpdateRefreshesInPlaceAndAddsAtTheTop()
    {
        var server = new PagedServer(Enumerable.Range(1, 10_000).Select(i => Conversation(20_000 - i, "Contact " + i, "Preview " + i)).ToList());
        var pager = new InboxPager(server.PageAsync);
        var cut = RenderInbox(p => p.Add(x => x.ItemsProvider, pager.LoadAsync).Add(x => x.Now, Now));

        cut.WaitForAssertion(() => Assert.Contains("Contact 1", cut.FindAll("[data-testid=inbox-item]")[0].TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Equal("10000", cut.Find("[data-testid=inbox-list]").GetAttribute("data-total"));
        var rendered = cut.FindAll("[data-testid=inbox-item]").Count;
        Assert.InRange(rendered, 1, 200); // a window, not the 10,000
        Assert.All(server.Requests, r => Assert.True(r.Take <= InboxPageRequest.MaxTake));
        Assert.Empty(cut.FindAll("[data-testid=inbox-empty]"));

        // Live: the first conversation got a new message, and a new one arrived at the top.
        server.Rows[0] = server.Rows[0] with { LastMessagePreview = "Updated preview", Version = 2 };
        server.Rows.Insert(0, Conversation(30_000, "Newcomer", "Just wrote in"));
        var before = server.Requests.Count;
        pager.Reset();
        await cut.InvokeAsync(() => cut.Instance.RefreshAsync());

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=inbox-item]");
            Assert.Contains("Newcomer", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Updated preview", rows[1].TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(5));
        Assert.Equal("10001", cut.Find("[data-testid=inbox-list]").GetAttribute("data-total"));
        Assert.Single(server.Requests.Skip(before)); // only the rows in view were read again
    }

    [Fact]
    public async Task ItemsProvider_EmptyView_ShowsTheEmptyState()
    {
        var pager = new InboxPager(new PagedServer([]).PageAsync);
        var cut = RenderInbox(p => p.Add(x => x.ItemsProvider, pager.LoadAsync));
        await cut.InvokeAsync(() => cut.Instance.RefreshAsync());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=inbox-empty]")), TimeSpan.FromSeconds(5));
        Assert.Equal(0, pager.Total);
    }
}
