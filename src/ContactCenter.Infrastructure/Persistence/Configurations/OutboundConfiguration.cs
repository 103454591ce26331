using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class OutboxItemConfiguration : IEntityTypeConfiguration<OutboxItem>
{
    public void Configure(EntityTypeBuilder<OutboxItem> b)
    {
        b.ToTable("Outbox");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.LastError).HasMaxLength(1000);
        b.Property(o => o.ProviderMessageId).HasMaxLength(300);
        b.Property(o => o.Recipient).HasMaxLength(OutboxItem.MaxRecipientLength);
        b.Property(o => o.Subject).HasMaxLength(OutboxItem.MaxSubjectLength);
        b.HasOne<Message>().WithMany().HasForeignKey(o => o.MessageId).OnDelete(DeleteBehavior.Cascade);

        // One outbox entry per reply; the dispatcher scans due items; delivery reports find the message by the provider's id.
        b.HasIndex(o => o.MessageId).IsUnique();
        b.HasIndex(o => new { o.Status, o.NextAttemptAt });
        b.HasIndex(o => new { o.InboxId, o.ProviderMessageId });
    }
}

internal sealed class WebhookInboxItemConfiguration : IEntityTypeConfiguration<Application.Webhooks.WebhookInboxItem>
{
    public void Configure(EntityTypeBuilder<Application.Webhooks.WebhookInboxItem> b)
    {
        b.ToTable("WebhookInbox");
        b.HasKey(w => w.Id);
        b.Property(w => w.Id).ValueGeneratedNever();
        b.Property(w => w.EventId).HasMaxLength(Application.Webhooks.WebhookInboxItem.MaxEventIdLength);
        b.Property(w => w.ContentType).HasMaxLength(100);
        b.Property(w => w.Error).HasMaxLength(Application.Webhooks.WebhookInboxItem.MaxErrorLength);
        b.HasOne<Domain.Inboxes.Inbox>().WithMany().HasForeignKey(w => w.InboxId).OnDelete(DeleteBehavior.Cascade);

        // The processor scans due pending items; support looks a provider's event up.
        b.HasIndex(w => new { w.Status, w.NextAttemptAt });
        b.HasIndex(w => new { w.InboxId, w.EventId });
    }
}
