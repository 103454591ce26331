using System.Text.RegularExpressions;
using Bunit;
using ContactCenter.Application.Contacts;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Update;
using ContactCenter.Application.Files;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Components.Console;
using ContactCenter.Web.Hubs;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

/// <summary>bUnit tests of the console's mentions, emoji, status/snooze, virtualised timeline, contact panel, inbox tabs and shortcut help.</summary>
public sealed class ConsoleFeaturesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();

    public ConsoleFeaturesTests()
    {
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static ConversationDetail Detail()
    {
        var summary = new ConversationSummaryDto(Guid.NewGuid(), 1042, ChannelKind.WebChat, Guid.NewGuid(), Guid.NewGuid(), "Olga Petrova", "Jacket", ConversationStatus.Open, null,
            Priority.Normal, null, null, null, "Is the blue jacket back?", Now, Now, Now, Now, [], 3);
        return new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga Petrova", null, null, []), [], []);
    }

    private static MessageDto Message(ConversationDetail detail, int i) =>
        new(Guid.NewGuid(), detail.Summary.Id, i % 2 == 0 ? MessageDirection.Inbound : MessageDirection.Outbound, AuthorKind.Contact, null, "Olga", $"message {i}", null, false,
            DeliveryStatus.None, null, Now.AddMinutes(i), []);

    private static readonly DirectoryAgentDto[] Colleagues =
    [
        new(Guid.NewGuid(), "Alice Chen", Presence.Online, []),
        new(Guid.NewGuid(), "Carol Diaz", Presence.Away, []),
        new(Guid.NewGuid(), "Carl Berg", Presence.Online, []),
        new(Guid.NewGuid(), "Bob Stone", Presence.Online, []),
    ];

    [Fact]
    public async Task ConversationView_AtInAPrivateNote_OffersColleagues_InsertsTheFullNameMention()
    {
        var detail = Detail();
        (string Text, bool IsPrivate)? sent = null;
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.Agents, Colleagues).Add(x => x.AgentName, "Alice Chen")
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.IsPrivate)));

        await cut.InvokeAsync(() => cut.Instance.InsertText("Please check @ca"));
        Assert.Empty(cut.FindAll("[data-testid=mention-suggestions]")); // replies to the customer mention nobody

        await cut.InvokeAsync(cut.Instance.TogglePrivate);
        Assert.Equal(["Carol Diaz", "Carl Berg"], cut.FindAll("[data-testid=mention-item]").Select(e => e.TextContent.Split('·')[0].Trim()));
        cut.FindAll("[data-testid=mention-item]")[0].Click();
        Assert.Empty(cut.FindAll("[data-testid=mention-suggestions]"));
        cut.Find("[data-testid=send]").Click();

        Assert.Equal(("Please check @Carol Diaz", true), sent);
    }

    [Fact]
    public async Task ConversationView_EmojiPicker_AddsTheEmojiToTheDraft()
    {
        var detail = Detail();
        (string Text, bool IsPrivate)? sent = null;
        var popovers = _context.Render<MudPopoverProvider>();
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.IsPrivate)));
        await cut.InvokeAsync(() => cut.Instance.InsertText("Thanks"));

        cut.Find("[data-testid=emoji-menu] button").Click();
        popovers.WaitForAssertion(() => Assert.Equal(ConversationView.Emojis.Count, popovers.FindAll("[data-testid=emoji]").Count), TimeSpan.FromSeconds(5));
        popovers.FindAll("[data-testid=emoji]").First(e => e.TextContent == "👍").Click();
        cut.Find("[data-testid=send]").Click();

        Assert.Equal(("Thanks👍", false), sent);
    }

    [Fact]
    public async Task ConversationView_StatusMenu_OffersCustomStatuses_AndSnoozesUntilAPickedTime()
    {
        var detail = Detail();
        (string Key, DateTimeOffset? Until)? custom = null;
        DateTimeOffset? snoozed = null;
        var popovers = _context.Render<MudPopoverProvider>();
        var statuses = new[]
        {
            new CustomStatusDto("warehouse", "Waiting on warehouse", ConversationStatus.Pending, "#ff9800"),
            new CustomStatusDto("callback", "Call back later", ConversationStatus.Snoozed, "#9c27b0"),
        };
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.CustomStatuses, statuses)
            .Add(x => x.CustomStatusChanged, ((string Key, DateTimeOffset? SnoozeUntil) s) => custom = s)
            .Add(x => x.Snooze, (DateTimeOffset until) => snoozed = until));

        cut.Find("[data-testid=status-menu] button").Click();
        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll("[data-testid=custom-status]").Count), TimeSpan.FromSeconds(5));
        popovers.FindAll("[data-testid=custom-status]")[0].Click();
        Assert.Equal(("warehouse", (DateTimeOffset?)null), custom);

        // A snoozing custom status asks when to wake up first.
        cut.Find("[data-testid=status-menu] button").Click();
        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll("[data-testid=custom-status]").Count), TimeSpan.FromSeconds(5));
        popovers.FindAll("[data-testid=custom-status]")[1].Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=snooze-panel]")), TimeSpan.FromSeconds(5));
        cut.FindAll("[data-testid=snooze-panel] button").First(b => b.TextContent.Contains("Tomorrow", StringComparison.Ordinal)).Click();
        Assert.Equal(("callback", (DateTimeOffset?)Now.AddHours(24)), custom);

        // Plain snooze at a picked local time.
        cut.Find("[data-testid=status-menu] button").Click();
        popovers.WaitForAssertion(() => Assert.NotNull(popovers.Find("[data-testid=snooze-open]")), TimeSpan.FromSeconds(5));
        popovers.Find("[data-testid=snooze-open]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=snooze-at]")), TimeSpan.FromSeconds(5));
        cut.Find("[data-testid=snooze-at]").Input("2026-11-30T09:30");
        cut.Find("[data-testid=snooze-go]").Click();
        Assert.Equal(new DateTime(2026, 11, 30, 9, 30, 0), snoozed?.ToLocalTime().DateTime);
    }

    [Fact]
    public void ConversationView_LongTimeline_IsVirtualised_ShortOneRendersEveryMessage()
    {
        var detail = Detail();
        var many = Enumerable.Range(0, 1200).Select(i => Message(detail, i)).ToList();
        var few = many.Take(10).ToList();

        var big = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, many));
        var small = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, few));

        Assert.InRange(big.FindAll("[data-testid=message]").Count, 0, 200);
        Assert.Equal(10, small.FindAll("[data-testid=message]").Count);
        Assert.True(many.Count > ConversationView.VirtualizeFrom);
    }

    [Fact]
    public void ContactPanel_ShowsTheContact360_OpensPastConversations_EditsAndMerges()
    {
        var past = Guid.NewGuid();
        var duplicate = Guid.NewGuid();
        var profile = new ContactProfileDto(Guid.NewGuid(), "Olga Petrova", "olga@example.com", "+14155550123",
            [new(IdentityKind.Email, "olga@example.com"), new(IdentityKind.WhatsApp, "+14155550123")],
            new Dictionary<string, string> { ["plan"] = "gold" }, "Prefers email",
            [new(past, 991, ChannelKind.Email, "Old order", ConversationStatus.Resolved, Now.AddDays(-30))],
            [new(past, 5, "Great", Now.AddDays(-29))]);
        Guid? opened = null;
        (string Name, string Notes)? saved = null;
        Guid? mergedInto = null;
        var cut = _context.Render<ContactPanel>(p => p.Add(x => x.Profile, profile)
            .Add(x => x.Duplicates, [new ContactMatchDto(duplicate, "Olga P.", "olga@example.com", null)])
            .Add(x => x.Open, (Guid id) => opened = id)
            .Add(x => x.Save, ((string Name, string Notes) s) => saved = s)
            .Add(x => x.Merge, (Guid id) => mergedInto = id));

        Assert.Equal(2, cut.FindAll("[data-testid=contact-identity]").Count);
        Assert.Contains("gold", cut.Find("[data-testid=contact-attributes]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Prefers email", cut.Find("[data-testid=contact-notes]").TextContent);
        Assert.Contains("★★★★★", cut.Find("[data-testid=contact-csat]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=contact-conversation]").Click();
        Assert.Equal(past, opened);

        cut.Find("[data-testid=contact-edit]").Click();
        cut.Find("[data-testid=contact-notes-input] textarea, textarea[data-testid=contact-notes-input]").Change("Prefers email; VIP since 2024");
        cut.Find("[data-testid=contact-save]").Click();
        Assert.Equal(("Olga Petrova", "Prefers email; VIP since 2024"), saved);

        cut.Find("[data-testid=contact-merge]").Click();
        Assert.Equal(duplicate, mergedInto);
    }

    [Fact]
    public void InboxList_MentionsTab_ShowsItsLiveCount_SelectsTheMentionsView_FiltersFoldOut()
    {
        InboxView? view = null;
        var cut = _context.Render<InboxList>(p => p.Add(x => x.Conversations, Array.Empty<ConversationSummaryDto>())
            .Add(x => x.Counts, new InboxCounts(0, 0, 0, 0, 3))
            .Add(x => x.ViewChanged, (InboxView v) => view = v));

        var tabs = cut.FindAll(".mud-tab");
        Assert.Equal(5, tabs.Count);
        Assert.Contains("Mentions", tabs[4].TextContent, StringComparison.Ordinal);
        Assert.Contains("3", tabs[4].TextContent, StringComparison.Ordinal);
        tabs[4].Click();
        Assert.Equal(InboxView.Mentions, view);
        Assert.Empty(cut.FindAll("[data-testid=inbox-filters]"));
        cut.Find("[data-testid=filters-toggle]").Click();
        foreach (var filter in new[] { "filter-status", "filter-channel", "filter-priority", "filter-sla", "filter-tag" })
        {
            Assert.NotNull(cut.Find($"[data-testid=inbox-filters] .{filter}, [data-testid=inbox-filters] [data-testid={filter}]"));
        }

        InboxFilter? changed = null;
        var filtered = _context.Render<InboxList>(p => p.Add(x => x.Conversations, Array.Empty<ConversationSummaryDto>())
            .Add(x => x.Filter, new InboxFilter(InboxView.All, Priority: Priority.Urgent, Tag: "vip"))
            .Add(x => x.FilterChanged, (InboxFilter f) => changed = f));
        Assert.Contains("(2)", filtered.Find("[data-testid=filters-toggle]").TextContent, StringComparison.Ordinal);
        filtered.Find("[data-testid=filters-clear]").Click();
        Assert.Equal(new InboxFilter(InboxView.All), changed);
    }

    [Fact]
    public void ShortcutHelp_ListsEveryKeyTheConsoleListensTo()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "ContactCenter.Web", "wwwroot", "js", "console.js"));
        var keys = Regex.Match(script, @"const keys = \[(?<keys>[^\]]*)\]").Groups["keys"].Value
            .Split(',').Select(k => k.Trim().Trim('"')).Where(k => k.Length > 0).ToList();
        var cut = _context.Render<ShortcutHelp>(p => p.Add(x => x.Visible, true));

        var listed = cut.FindAll("kbd").Select(k => k.TextContent).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains(key == "Escape" ? "Esc" : key, listed));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ContactCenter.sln not found above " + AppContext.BaseDirectory);
    }
}
