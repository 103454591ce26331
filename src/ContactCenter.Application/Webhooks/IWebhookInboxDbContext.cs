using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Webhooks;

/// <summary>The webhook inbox table of the unit of work.</summary>
public interface IWebhookInboxDbContext
{
    DbSet<WebhookInboxItem> WebhookInbox { get; }
}
