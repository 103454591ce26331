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
        b.HasOne<Message>().WithMany().HasForeignKey(o => o.MessageId).OnDelete(DeleteBehavior.Cascade);

        // One outbox entry per reply; the dispatcher scans due items; delivery reports find the message by the provider's id.
        b.HasIndex(o => o.MessageId).IsUnique();
        b.HasIndex(o => new { o.Status, o.NextAttemptAt });
        b.HasIndex(o => new { o.InboxId, o.ProviderMessageId });
    }
}
