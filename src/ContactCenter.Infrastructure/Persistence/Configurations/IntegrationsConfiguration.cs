using ContactCenter.Application.Audit;
using ContactCenter.Application.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.ToTable("WebhookSubscriptions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Url).HasMaxLength(WebhookSubscription.MaxUrlLength);
        b.Property(s => s.Description).HasMaxLength(200);
        b.Property(s => s.Events).HasMaxLength(1000);
        b.Property(s => s.ProtectedSecret).HasMaxLength(2000);
        b.Ignore(s => s.EventList);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.Event).HasMaxLength(100);
        b.Property(d => d.LastError).HasMaxLength(500);
        b.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);

        // The dispatcher scans due pending rows; the admin page lists a subscription's latest; erasure finds a contact's.
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
        b.HasIndex(d => d.ContactId);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("WebhookAttempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.ResponseBody).HasMaxLength(WebhookAttempt.MaxResponseLength);
        b.Property(a => a.Error).HasMaxLength(500);
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => a.DeliveryId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditLog");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.ActorId).HasMaxLength(450);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.Ip).HasMaxLength(64);
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.Target).HasMaxLength(200);
        b.Property(e => e.Details).HasMaxLength(AuditEntry.MaxDetailsLength);
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Action, e.At });
    }
}
