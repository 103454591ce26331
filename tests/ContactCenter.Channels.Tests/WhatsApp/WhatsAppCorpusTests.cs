using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Channels.WhatsApp;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Channels.Tests.WhatsApp;

/// <summary>
/// Every WhatsApp Cloud API payload in ../shared/corpora/whatsapp (pywa's test updates, as Meta sends them) goes through
/// the real normaliser, with media downloaded from a local stand-in for the Graph API. Each one is listed here with what
/// it must become (a customer message, a delivery status) or why it is deliberately ignored.
/// </summary>
public sealed class WhatsAppCorpusTests
{
    private const string AccessToken = "corpus-access-token";

    private abstract record Expected(string Why);

    private sealed record AMessage(string TextContains, int Attachments, string Why) : Expected(Why);

    private sealed record AStatus(DeliveryStatus Status, string Why, string? ErrorContains = null) : Expected(Why);

    private sealed record Ignored(string ReasonContains, string Why) : Expected(Why);

    private static readonly Dictionary<string, Expected> Expectations = new(StringComparer.Ordinal)
    {
        // Business-account notices: nothing an agent answers.
        ["account_update/account_deleted"] = new Ignored("account_update", "account notice"),
        ["account_update/account_restriction"] = new Ignored("account_update", "account notice"),
        ["account_update/account_violation"] = new Ignored("account_update", "account notice"),
        ["account_update/ad_account_linked"] = new Ignored("account_update", "account notice"),
        ["account_update/authentication_international_eligibility"] = new Ignored("account_update", "account notice"),
        ["account_update/account_disabled"] = new Ignored("account_update", "account notice"),
        ["account_update/mm_api_for_wa_terms_of_service"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_added"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_app_installed"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_app_uninstalled"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_led_business_verification_status"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_removed"] = new Ignored("account_update", "account notice"),
        ["account_update/partner_removed_wa_app_disconnection"] = new Ignored("account_update", "account notice"),
        ["account_update/primary_business_location_set"] = new Ignored("account_update", "account notice"),
        ["account_update/pricing_tiering_update"] = new Ignored("account_update", "account notice"),
        ["account_update/account_offboarded"] = new Ignored("account_update", "account notice"),
        ["account_update/account_reconnected"] = new Ignored("account_update", "account notice"),

        // Voice calls are not part of the contact center.
        ["call_connect/business_initiated"] = new Ignored("calls", "voice call"),
        ["call_connect/user_initiated"] = new Ignored("calls", "voice call"),
        ["call_permission_update/accept"] = new Ignored("call permission", "a reply to a call-permission request, not a message"),
        ["call_permission_update/reject"] = new Ignored("call permission", "a reply to a call-permission request, not a message"),
        ["call_status/call_status"] = new Ignored("calls", "voice call state, not a message status"),
        ["call_terminate/call_terminate"] = new Ignored("calls", "voice call"),

        // Replies to our buttons and lists: the customer's choice is the message.
        ["callback_button/button"] = new AMessage("title", 0, "interactive button reply"),
        ["callback_button/quick_reply"] = new AMessage("title", 0, "template quick-reply button"),
        ["callback_button/quick_reply_without_context"] = new AMessage("title", 0, "template quick-reply button"),
        ["callback_selection/callback"] = new AMessage("title", 0, "list reply"),
        ["callback_selection/description"] = new AMessage("title — description", 0, "list reply with its description"),

        ["deleted_message/revoke"] = new Ignored("deleted a message", "we keep what was received; nothing new to show"),
        ["edited_message/image"] = new AMessage("(edited) Updated image caption", 1, "an edit arrives as a new message with the new media"),
        ["flow_completion/completion"] = new AMessage("Completed the form \"flow\"", 0, "a WhatsApp Flow's answers"),
        ["flow_completion/without_flow_token"] = new AMessage("Completed the form \"flow\"", 0, "a WhatsApp Flow's answers"),

        ["message/text"] = new AMessage("Body Text", 0, "text"),
        ["message/image"] = new AMessage("", 1, "image: downloaded through the Graph media URL"),
        ["message/media_with_url"] = new AMessage("", 1, "image: downloaded through the Graph media URL"),
        ["message/video"] = new AMessage("caption", 1, "video with a caption"),
        ["message/document"] = new AMessage("caption", 1, "document with a caption"),
        ["message/audio"] = new AMessage("", 1, "audio file"),
        ["message/voice"] = new AMessage("", 1, "voice note"),
        ["message/static_sticker"] = new AMessage("", 1, "sticker (a WebP image)"),
        ["message/animated_sticker"] = new AMessage("", 1, "sticker (a WebP image)"),
        ["message/reaction"] = new AMessage("Reacted 😮", 0, "a reaction is shown as a short message"),
        ["message/unreaction_empty"] = new Ignored("reaction was removed", "removing a reaction shows nothing"),
        ["message/unreaction_no_emoji"] = new Ignored("reaction was removed", "removing a reaction shows nothing"),
        ["message/current_location"] = new AMessage("(12.25089, 43.90539)", 0, "location with a map link"),
        ["message/chosen_location"] = new AMessage("Facebook HQ, 1 Hacker Way", 0, "named place"),
        ["message/contacts"] = new AMessage("Chandler Bing +1 555-555-5555", 0, "shared contact cards"),
        ["message/order"] = new AMessage("3 × HAMBURGER", 0, "a catalog order, itemised"),
        ["message/unsupported"] = new AMessage("WhatsApp cannot deliver", 0, "the agent must know the customer sent something"),
        ["message/unsupported_with_type"] = new AMessage("(pool)", 0, "the agent must know the customer sent something"),
        ["message/reply"] = new AMessage("replied text", 0, "a reply is a text"),
        ["message/forwarded"] = new AMessage("forwarded text", 0, "a forwarded text"),
        ["message/forwarded_many_times"] = new AMessage("text forwarded many times", 0, "a forwarded text"),
        ["message/interactive_message_with_err"] = new Ignored("without content", "WhatsApp could not deliver the interactive content"),
        ["message/referral"] = new AMessage("AD_TITLE", 0, "text from an ad click, with the ad named"),

        ["message_status/sent"] = new AStatus(DeliveryStatus.Sent, "status of our message"),
        ["message_status/delivered"] = new AStatus(DeliveryStatus.Delivered, "status of our message"),
        ["message_status/read"] = new AStatus(DeliveryStatus.Read, "status of our message"),
        ["message_status/played"] = new AStatus(DeliveryStatus.Read, "a voice message played counts as read"),
        ["message_status/failed"] = new AStatus(DeliveryStatus.Failed, "the reason reaches the console", "130472"),
        ["message_status/with_tracker"] = new AStatus(DeliveryStatus.Sent, "status of our message"),
        ["message_status/group"] = new Ignored("group participant", "a group member's read receipt; we never message groups"),

        ["outgoing_message/text"] = new Ignored("smb_message_echoes", "sent from the WhatsApp Business app, not by an agent here"),
        ["outgoing_message/delete"] = new Ignored("smb_message_echoes", "sent from the WhatsApp Business app, not by an agent here"),
        ["outgoing_message/edit"] = new Ignored("smb_message_echoes", "sent from the WhatsApp Business app, not by an agent here"),
        ["system/phone_number_change"] = new Ignored("system notice", "number change notice, not a message"),
        ["system/identity_change"] = new Ignored("system notice", "identity change notice, not a message"),
        ["template_category_update/marketing"] = new Ignored("template_category_update", "template notice"),
        ["template_components_update/element"] = new Ignored("message_template_components_update", "template notice"),
        ["template_quality_update/yellow"] = new Ignored("message_template_quality_update", "template notice"),
        ["template_status_update/approved"] = new Ignored("message_template_status_update", "template notice"),
        ["template_status_update/rejected"] = new Ignored("message_template_status_update", "template notice"),
        ["user_marketing_preferences/resume"] = new Ignored("user_preferences", "marketing preference, not a message"),
        ["user_marketing_preferences/signup"] = new Ignored("user_preferences", "marketing preference, not a message"),
    };

    public static string CorpusFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpora", "whatsapp"));
        Assert.True(Directory.Exists(folder), $"The WhatsApp corpus is missing at {folder}.");
        return folder;
    }

    private static IEnumerable<(string Name, string Json)> Payloads()
    {
        foreach (var file in Directory.GetFiles(CorpusFolder(), "*.json").Order(StringComparer.Ordinal))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var (key, payload) in root)
            {
                yield return ($"{Path.GetFileNameWithoutExtension(file)}/{key}", payload!.ToJsonString());
            }
        }
    }

    [Fact]
    public void Corpus_EveryPayload_HasAnExpectation()
    {
        var names = Payloads().Select(p => p.Name).ToList();

        Assert.Equal(74, names.Count);
        Assert.Empty(names.Except(Expectations.Keys));
        Assert.Empty(Expectations.Keys.Except(names));
    }

    [Fact]
    public async Task NormaliseAsync_EveryCorpusPayload_BecomesItsExpectedMessageStatusOrIgnoredReason()
    {
        await using var graph = await ProviderStandIn.StartAsync((request, context) =>
        {
            if (request.Headers.GetValueOrDefault("Authorization") != "Bearer " + AccessToken)
            {
                return ProviderStandIn.Json(context, 401, """{"error":{"message":"bad token","code":190}}""");
            }

            if (request.PathAndQuery.StartsWith("/files/", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/octet-stream";
                return context.Response.Body.WriteAsync("media bytes"u8.ToArray()).AsTask();
            }

            var id = request.PathAndQuery.Trim('/');
            return ProviderStandIn.Json(context, 200, $$"""{"url":"{{context.Request.Scheme}}://{{context.Request.Host}}/files/{{id}}","mime_type":"application/octet-stream","id":"{{id}}"}""");
        });
        using var kit = new ChannelKit(new Dictionary<string, string?>
        {
            ["Channels:WhatsApp:BaseUrl"] = graph.BaseUrl.ToString(),
            ["Secrets:Wa:Token"] = AccessToken,
        });
        // No phoneNumberId filter: the corpus comes from several test numbers (the filter has its own test).
        var inbox = ChannelKit.Inbox(ChannelKind.WhatsApp, ("accessTokenKey", "Secrets:Wa:Token"));
        var channel = kit.Webhook(ChannelKind.WhatsApp);
        var failures = new List<string>();

        foreach (var (name, json) in Payloads())
        {
            var accepted = channel.Accept(inbox, ChannelKit.Request("https://example.test/webhooks", System.Text.Encoding.UTF8.GetBytes(json)));
            if (!accepted.IsSuccess)
            {
                failures.Add($"{name}: refused as malformed: {accepted.Error!.Message}");
                continue;
            }

            var content = await channel.NormaliseAsync(inbox, "application/json", json, CancellationToken.None);
            var problem = Check(Expectations[name], content);
            if (problem is not null)
            {
                failures.Add($"{name} ({Expectations[name].Why}): {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Check(Expected expected, WebhookContent content)
    {
        switch (expected)
        {
            case AMessage message:
                if (content.Messages.Count != 1 || content.Statuses.Count != 0)
                {
                    return $"expected one message, got {content.Messages.Count} messages, {content.Statuses.Count} statuses; ignored: {string.Join("; ", content.Ignored)}";
                }

                var inbound = content.Messages[0].Message;
                if (!inbound.Text.Contains(message.TextContains, StringComparison.Ordinal))
                {
                    return $"text \"{inbound.Text}\" does not contain \"{message.TextContains}\"";
                }

                if ((inbound.Attachments?.Count ?? 0) != message.Attachments)
                {
                    return $"expected {message.Attachments} attachments, got {inbound.Attachments?.Count ?? 0}";
                }

                if (inbound.ExternalId is not { Length: > 0 } || inbound.Sender.Kind != IdentityKind.WhatsApp || !inbound.Sender.Value.StartsWith('+'))
                {
                    return $"the message needs the wamid as external id and the sender's WhatsApp number (got {inbound.ExternalId}, {inbound.Sender})";
                }

                return content.Messages[0].SameContact?.SingleOrDefault() == new ContactIdentity(IdentityKind.Phone, inbound.Sender.Value)
                    ? null
                    : "the sender must also be recognised by phone";
            case AStatus status:
                if (content.Statuses.Count != 1 || content.Messages.Count != 0)
                {
                    return $"expected one status, got {content.Messages.Count} messages, {content.Statuses.Count} statuses";
                }

                var update = content.Statuses[0];
                if (update.Status != status.Status)
                {
                    return $"expected {status.Status}, got {update.Status}";
                }

                return status.ErrorContains is null || update.Error?.Contains(status.ErrorContains, StringComparison.Ordinal) == true
                    ? null
                    : $"the failure reason \"{update.Error}\" does not contain \"{status.ErrorContains}\"";
            case Ignored ignored:
                if (!content.IsEmpty)
                {
                    return $"expected to be ignored, got {content.Messages.Count} messages, {content.Statuses.Count} statuses";
                }

                return content.Ignored.Any(i => i.Contains(ignored.ReasonContains, StringComparison.Ordinal))
                    ? null
                    : $"ignored without the expected reason \"{ignored.ReasonContains}\": {string.Join("; ", content.Ignored)}";
            default:
                return "unknown expectation";
        }
    }
}
