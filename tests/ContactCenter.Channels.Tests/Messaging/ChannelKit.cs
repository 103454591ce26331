using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Infrastructure.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Channels.Tests.Messaging;

/// <summary>
/// The channel adapters as the app registers them (AddMessagingApps), with configuration from the test, real file
/// storage in a temp folder, fast HTTP timeouts and retries, and a fake clock.
/// </summary>
public sealed class ChannelKit : IDisposable
{
    private readonly ServiceProvider _services;

    public ChannelKit(IDictionary<string, string?>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "cc-channel-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var values = new Dictionary<string, string?>
        {
            ["Channels:Http:AttemptTimeout"] = "00:00:02",
            ["Channels:Http:TotalTimeout"] = "00:00:10",
            ["Channels:Http:MaxRetries"] = "2",
            ["Channels:Http:RetryDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        Configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(Configuration);
        // The real clock: the resilience handler's retry delays and timeouts run on the DI TimeProvider.
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IFileStorage>(new LocalFileStorage(Folder));
        services.AddOptions<AttachmentOptions>();
        DependencyInjection.AddMessagingApps(services, Configuration);
        _services = services.BuildServiceProvider();
    }

    public string Folder { get; }

    public IConfiguration Configuration { get; }

    public TimeProvider Time { get; } = TimeProvider.System;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public IWebhookChannel Webhook(ChannelKind channel) => _services.GetServices<IWebhookChannel>().Single(c => c.Channel == channel);

    public IChannelSender Sender(ChannelKind channel) => _services.GetServices<IChannelSender>().Single(c => c.Channel == channel);

    public static Inbox Inbox(ChannelKind channel, params (string Key, string Value)[] settings)
    {
        var inbox = Domain.Inboxes.Inbox.Create("Test " + channel, channel, null).Value;
        foreach (var (key, value) in settings)
        {
            inbox.SetSetting(key, value);
        }

        return inbox;
    }

    public static WebhookRequest Request(string url, byte[] body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var uri = new Uri(url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new WebhookRequest(uri, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), query, contentType, body);
    }

    /// <summary>An agent's reply on a conversation whose customer last wrote <paramref name="customerWroteAgo"/> ago.</summary>
    public OutboundDelivery Delivery(Inbox inbox, ContactIdentity recipient, string text, TimeSpan customerWroteAgo, string? externalId = null, IReadOnlyList<Attachment>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var now = Time.GetUtcNow();
        var contact = Contact.Create("Customer", recipient, now);
        var conversation = Conversation.Open(1, inbox.Id, inbox.Channel, contact.Id, "Question", null, Actor.Contact(contact.Id, contact.Name), now - customerWroteAgo);
        var question = conversation.ReceiveFromContact(contact.Name, new MessageContent("Hello?"), "in-1", now - customerWroteAgo).Value;
        var reply = conversation.ReplyFromAgent(AgentId.New(), "Alice", new MessageContent(text, null, attachments), false, externalId, now).Value;
        return new OutboundDelivery(inbox, conversation, reply, contact, recipient, [question], new Dictionary<MessageId, string>());
    }

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing download; the temp folder is cleaned by the OS.
        }
    }
}
