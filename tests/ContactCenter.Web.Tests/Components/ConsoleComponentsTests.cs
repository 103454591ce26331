using Bunit;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Files;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Components.Console;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed class ConsoleComponentsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();

    public ConsoleComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static ConversationSummaryDto Summary(string contact = "Olga", ChannelKind channel = ChannelKind.WebChat) =>
        new(Guid.NewGuid(), 1042, channel, Guid.NewGuid(), Guid.NewGuid(), contact, "Jacket restock", ConversationStatus.Open, null, Priority.Normal,
            null, null, null, "Is the blue jacket back?", Now, Now, Now, Now, ["vip"], 3);

    [Fact]
    public void OfferBanner_ShowsCountdownFromExpiry_AndAcceptRaisesTheConversationId()
    {
        var offer = new OfferDto(Summary(), Guid.NewGuid(), Now.AddSeconds(-10), Now.AddSeconds(20));
        Guid? accepted = null;
        var cut = _context.Render<OfferBanner>(p => p.Add(x => x.Offers, new[] { offer }).Add(x => x.Now, Now).Add(x => x.Accept, (Guid id) => accepted = id));

        Assert.Equal("20", cut.Find("[data-testid=offer-countdown]").TextContent.Trim());
        Assert.Contains("Olga", cut.Find("[data-testid=offer]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=offer-accept] , button[data-testid=offer-accept]").Click();
        Assert.Equal(offer.Conversation.Id, accepted);
    }

    [Fact]
    public async Task SignatureDialog_ShowsTheCurrentSignature_SaveReturnsTheEditedText()
    {
        var provider = _context.Render<MudDialogProvider>();
        var dialogs = _context.Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await provider.InvokeAsync(async () => dialog = await dialogs.ShowAsync<SignatureDialog>("Email signature",
            new DialogParameters<SignatureDialog> { { d => d.Signature, "Alice" } }));

        var text = provider.Find("textarea");
        Assert.Equal("Alice", text.GetAttribute("value") ?? text.TextContent);
        text.Input("Alice\nAcme Customer Care");
        provider.Find("button[data-testid=signature-save]").Click();

        var result = await dialog!.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.Equal("Alice\nAcme Customer Care", result.Data);
    }

    [Fact]
    public void OfferBanner_ExpiredOffer_CountsZero_AndNoOffersRendersNothing()
    {
        var offer = new OfferDto(Summary(), Guid.NewGuid(), Now.AddSeconds(-40), Now.AddSeconds(-1));
        var cut = _context.Render<OfferBanner>(p => p.Add(x => x.Offers, new[] { offer }).Add(x => x.Now, Now));
        Assert.Equal("0", cut.Find("[data-testid=offer-countdown]").TextContent.Trim());

        var empty = _context.Render<OfferBanner>(p => p.Add(x => x.Offers, Array.Empty<OfferDto>()));
        Assert.Empty(empty.FindAll("[data-testid=offers]"));
    }

    [Fact]
    public void ConversationView_PrivateNoteAndTyping_RenderDistinctly()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        var messages = new[]
        {
            new MessageDto(Guid.NewGuid(), summary.Id, MessageDirection.Inbound, AuthorKind.Contact, null, "Olga", "<script>alert(1)</script>", null, false, DeliveryStatus.None, null, Now, []),
            new MessageDto(Guid.NewGuid(), summary.Id, MessageDirection.Outbound, AuthorKind.Agent, null, "Alice", "internal remark", null, true, DeliveryStatus.None, null, Now, []),
        };
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, messages).Add(x => x.CustomerTyping, true));

        Assert.Single(cut.FindAll(".cc-message.note"));
        Assert.Contains("internal remark", cut.Find(".cc-message.note").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".cc-messages script"));
        Assert.Contains("&lt;script&gt;", cut.Find(".cc-message.inbound").InnerHtml, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=customer-typing]"));
        Assert.Contains("vip", cut.Find("[data-testid=tag]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ChannelKind.WhatsApp, 25, "reply-window-closed")]
    [InlineData(ChannelKind.WhatsApp, 2, "reply-window-open")]
    [InlineData(ChannelKind.Email, 25, null)]
    public void ConversationView_ReplyWindow_ShowsWhetherFreeFormRepliesAreStillAllowed(ChannelKind channel, int hoursSinceCustomerWrote, string? expected)
    {
        var summary = Summary(channel: channel);
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        var messages = new[]
        {
            new MessageDto(Guid.NewGuid(), summary.Id, MessageDirection.Inbound, AuthorKind.Contact, null, "Olga", "Hi", null, false, DeliveryStatus.None, null, Now.AddHours(-hoursSinceCustomerWrote), []),
        };

        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, messages));

        var shown = cut.FindAll("[data-testid^=reply-window]").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(expected is null ? [] : [expected], shown);
    }

    [Fact]
    public void ConversationView_HasEarlierMessages_ShowsLoadEarlierWhichAsksThePage()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        var messages = new[]
        {
            new MessageDto(Guid.NewGuid(), summary.Id, MessageDirection.Inbound, AuthorKind.Contact, null, "Olga", "Hi", null, false, DeliveryStatus.None, null, Now, []),
        };
        var asked = 0;

        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, messages)
            .Add(x => x.HasEarlier, true).Add(x => x.LoadEarlier, () => asked++));
        cut.Find("[data-testid=load-earlier]").Click();
        Assert.Equal(1, asked);

        var all = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, messages)
            .Add(x => x.HasEarlier, false).Add(x => x.LoadEarlier, () => asked++));
        Assert.Empty(all.FindAll("[data-testid=load-earlier]"));
    }

    [Fact]
    public void ConversationView_MessageFiles_ImagesAsThumbnails_OthersAsLinks()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        var message = new MessageDto(Guid.NewGuid(), summary.Id, MessageDirection.Inbound, AuthorKind.Contact, null, "Olga", "See attached", null, false, DeliveryStatus.None, null, Now,
            [new AttachmentDto("photo.png", "image/png", 2048, "/files/v_1"), new AttachmentDto("invoice.pdf", "application/pdf", 3 * 1024 * 1024, "/files/v_2")]);

        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, new[] { message }));

        var links = cut.FindAll("[data-testid=attachment]");
        Assert.Equal(["/files/v_1", "/files/v_2"], links.Select(l => l.GetAttribute("href")));
        Assert.Equal("/files/v_1", links[0].QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("invoice.pdf", links[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("3.0 MB", links[1].TextContent, StringComparison.Ordinal);
        Assert.All(links, l => Assert.Equal("noopener noreferrer", l.GetAttribute("rel")));
    }

    [Fact]
    public void ConversationView_DeliveryStatuses_ShowEachState_AndAFailedReplysReason()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        MessageDto Reply(DeliveryStatus status, string? error = null) =>
            new(Guid.NewGuid(), summary.Id, MessageDirection.Outbound, AuthorKind.Agent, null, "Alice", $"reply {status}", null, false, status, null, Now, [], error);
        var messages = new[]
        {
            Reply(DeliveryStatus.Queued), Reply(DeliveryStatus.Sent), Reply(DeliveryStatus.Read),
            Reply(DeliveryStatus.Failed, "550 5.1.1 <olga@example.com>: mailbox unknown"),
        };

        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, messages));

        Assert.Equal(["Queued", "Sent", "Read", "Failed"], cut.FindAll("[data-testid=delivery]").Select(e => e.GetAttribute("data-status")));
        var error = Assert.Single(cut.FindAll("[data-testid=delivery-error]"));
        Assert.Contains("550 5.1.1 <olga@example.com>: mailbox unknown", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("alert", error.GetAttribute("role"));
    }

    [Fact]
    public async Task ConversationView_SlashShortcut_OffersCannedResponses_InsertsThemFilledIn()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga Petrova", null, null, []), [], []);
        var canned = new[]
        {
            new ContactCenter.Application.Replies.CannedResponseDto(Guid.NewGuid(), "hi", "Greeting", "Hi {{contact.first_name}}, I'm {{agent.name}}.", null, Now),
            new ContactCenter.Application.Replies.CannedResponseDto(Guid.NewGuid(), "returns", "Returns policy", "30 days, free.", null, Now),
            new ContactCenter.Application.Replies.CannedResponseDto(Guid.NewGuid(), "refund-time", "Refund timing", "5 working days.", null, Now),
        };
        (string Text, bool IsPrivate)? sent = null;
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.CannedResponses, canned).Add(x => x.AgentName, "Alice")
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.IsPrivate)));
        Assert.Empty(cut.FindAll("[data-testid=canned-suggestions]"));

        await cut.InvokeAsync(() => cut.Instance.InsertText("/re"));
        // Shortcuts starting with what was typed first, then titles containing it ("Greeting").
        Assert.Equal(["refund-time", "returns", "hi"], cut.FindAll("[data-testid=canned-item]").Select(e => e.GetAttribute("data-shortcut")));

        cut.FindAll("[data-testid=canned-item]")[1].Click();
        Assert.Empty(cut.FindAll("[data-testid=canned-suggestions]"));
        cut.Find("button[data-testid=send], [data-testid=send]").Click();
        Assert.Equal(("30 days, free.", false), sent);
    }

    [Fact]
    public async Task ConversationView_CannedResponse_PlaceholdersUseContactAgentAndNumber()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga Petrova", null, null, []), [], []);
        var canned = new[] { new ContactCenter.Application.Replies.CannedResponseDto(Guid.NewGuid(), "hi", "Greeting", "Hi {{contact.first_name}}, I'm {{agent.name}} ({{conversation.number}}).", null, Now) };
        (string Text, bool IsPrivate)? sent = null;
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.CannedResponses, canned).Add(x => x.AgentName, "Alice")
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.IsPrivate)));

        await cut.InvokeAsync(() => cut.Instance.InsertText("/hi"));
        cut.Find("[data-testid=canned-item]").Click();
        cut.Find("button[data-testid=send], [data-testid=send]").Click();

        Assert.Equal(($"Hi Olga, I'm Alice (#{summary.Number}).", false), sent);
    }

    [Fact]
    public async Task ConversationView_Send_RaisesTextAndPrivateFlag_ThenClearsTheDraft()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        (string Text, bool IsPrivate)? sent = null;
        var typing = new List<bool>();
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.IsPrivate))
            .Add(x => x.Typing, (bool t) => typing.Add(t)));

        await cut.InvokeAsync(() => cut.Instance.InsertText("Restock is due Friday."));
        cut.Find("button[data-testid=send], [data-testid=send]").Click();

        Assert.Equal(("Restock is due Friday.", false), sent);
        Assert.Equal([true, false], typing);
    }

    [Fact]
    public async Task ConversationView_AttachedFiles_ShowAsChips_RemovableBeforeSending_SentWithTheReply()
    {
        var summary = Summary();
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga", null, null, []), [], []);
        var uploads = new List<string>();
        (string Text, IReadOnlyList<AttachmentReference> Attachments)? sent = null;
        var cut = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Array.Empty<MessageDto>())
            .Add(x => x.Upload, file =>
            {
                uploads.Add(file.Name);
                return Task.FromResult<UploadedFile?>(file.Name.EndsWith(".exe", StringComparison.Ordinal)
                    ? null // refused by the page (it shows why)
                    : new UploadedFile("key-" + file.Name, file.Name, file.Name.EndsWith(".pdf", StringComparison.Ordinal) ? "application/pdf" : "image/png", file.Size));
            })
            .Add(x => x.Send, ((string Text, bool IsPrivate, IReadOnlyList<AttachmentReference> Attachments) d) => sent = (d.Text, d.Attachments)));
        Assert.Empty(cut.FindAll("[data-testid=pending-file]"));

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary([1, 2, 3], "label.png", contentType: "image/png"),
            InputFileContent.CreateFromBinary([4, 5], "setup.exe"),
            InputFileContent.CreateFromBinary([6], "invoice.pdf", contentType: "application/pdf"));

        Assert.Equal(["label.png", "setup.exe", "invoice.pdf"], uploads);
        Assert.Equal(["key-label.png", "key-invoice.pdf"], cut.FindAll("[data-testid=pending-file]").Select(c => c.GetAttribute("data-key")));
        Assert.False(cut.Find("button[data-testid=send]").HasAttribute("disabled")); // files alone can be sent

        Assert.Empty(cut.FindAll(".mud-file-upload-filelist")); // only the composer's own chips
        cut.Find("[data-testid=pending-file][data-key='key-label.png'] .mud-chip-close-button").Click();
        Assert.Equal(["key-invoice.pdf"], cut.FindAll("[data-testid=pending-file]").Select(c => c.GetAttribute("data-key")));

        cut.Find("button[data-testid=send]").Click();

        Assert.Equal("", sent?.Text);
        Assert.Equal([new AttachmentReference("key-invoice.pdf", "invoice.pdf")], sent?.Attachments);
        Assert.Empty(cut.FindAll("[data-testid=pending-file]"));
    }

    private static readonly ContactCenter.Application.Conversations.Templates.MessageTemplate[] Templates =
    [
        new("order_update", "en_US", "Hi {{1}}, your order {{2}} has shipped.", 2),
        new("follow_up", "en", "We are still here if you need us.", 0),
    ];

    [Fact]
    public void ConversationView_WindowClosed_OffersTheInboxTemplates_OrSaysThereAreNone()
    {
        var summary = Summary("Olga Petrova", ChannelKind.WhatsApp);
        var detail = new ConversationDetail(summary, new ContactCardDto(summary.ContactId, "Olga Petrova", null, null, []), [], []);
        MessageDto[] Wrote(int hoursAgo) =>
            [new(Guid.NewGuid(), summary.Id, MessageDirection.Inbound, AuthorKind.Contact, null, "Olga", "Hi", null, false, DeliveryStatus.None, null, Now.AddHours(-hoursAgo), [])];

        var closed = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Wrote(25)).Add(x => x.Templates, Templates));
        Assert.NotNull(closed.Find("[data-testid=template-picker]"));
        Assert.Contains("order_update", closed.Find("[data-testid=template-picker]").TextContent + closed.Find("[data-testid=template-picker]").InnerHtml, StringComparison.Ordinal);

        var none = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Wrote(25)));
        Assert.Empty(none.FindAll("[data-testid=template-picker]"));
        Assert.NotNull(none.Find("[data-testid=no-templates]"));

        var open = _context.Render<ConversationView>(p => p.Add(x => x.Detail, detail).Add(x => x.Messages, Wrote(2)).Add(x => x.Templates, Templates));
        Assert.Empty(open.FindAll("[data-testid=template-picker]"));
    }

    [Fact]
    public void TemplatePicker_PrefillsTheFirstName_PreviewFollowsTheParameters_AndSendRaisesTheChoice()
    {
        ContactCenter.Application.Conversations.Reply.TemplateChoice? sent = null;
        var cut = _context.Render<TemplatePicker>(p => p.Add(x => x.Templates, Templates).Add(x => x.ContactName, "Olga Petrova")
            .Add(x => x.Send, (ContactCenter.Application.Conversations.Reply.TemplateChoice c) => sent = c));

        var inputs = cut.FindAll("input[data-testid=template-param], [data-testid=template-param] input");
        Assert.Equal(2, inputs.Count);
        Assert.Equal("Olga", inputs[0].GetAttribute("value"));
        Assert.Equal("Hi Olga, your order {{2}} has shipped.", cut.Find("[data-testid=template-preview]").TextContent);
        Assert.True(cut.Find("button[data-testid=send-template]").HasAttribute("disabled"));

        cut.FindAll("input[data-testid=template-param], [data-testid=template-param] input")[1].Input("#A-1042");
        Assert.Equal("Hi Olga, your order #A-1042 has shipped.", cut.Find("[data-testid=template-preview]").TextContent);
        cut.Find("button[data-testid=send-template]").Click();

        Assert.NotNull(sent);
        Assert.Equal(("order_update", "en_US"), (sent.Name, sent.Language));
        Assert.Equal(["Olga", "#A-1042"], sent.Parameters);
    }

    [Fact]
    public async Task TemplatePicker_ListsEveryTemplate_AndPickingOneWithoutParametersSendsIt()
    {
        ContactCenter.Application.Conversations.Reply.TemplateChoice? sent = null;
        var popovers = _context.Render<MudBlazor.MudPopoverProvider>();
        var cut = _context.Render<TemplatePicker>(p => p.Add(x => x.Templates, Templates)
            .Add(x => x.Send, (ContactCenter.Application.Conversations.Reply.TemplateChoice c) => sent = c));

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<string>>().Instance.OpenMenu());
        var items = popovers.FindAll(".mud-list-item");
        Assert.Equal(["order_update (en_US)", "follow_up (en)"], items.Select(i => i.TextContent.Trim()));
        popovers.FindAll(".mud-list-item")[1].Click();

        Assert.Empty(cut.FindAll("input[data-testid=template-param], [data-testid=template-param] input"));
        Assert.Equal("We are still here if you need us.", cut.Find("[data-testid=template-preview]").TextContent);
        cut.Find("button[data-testid=send-template]").Click();
        Assert.Equal(("follow_up", "en", 0), (sent?.Name, sent?.Language, sent?.Parameters.Count));
    }
}
