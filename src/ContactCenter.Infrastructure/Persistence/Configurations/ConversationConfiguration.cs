using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.ToTable("Conversations");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasIndex(c => c.Number).IsUnique();
        b.Property(c => c.Subject).HasMaxLength(Conversation.MaxSubjectLength + 2);
        b.Property(c => c.CustomStatusKey).HasMaxLength(40);
        b.Property(c => c.LastMessagePreview).HasMaxLength(200);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Property(c => c.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(4000);
        b.Property(c => c.Attributes).HasField("_attributes").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(DictionaryJson.Converter, DictionaryJson.Comparer).HasMaxLength(8000);
        b.Property(c => c.DeclinedAgentIds).HasField("_declinedAgentIds").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(4000);
        b.Property(c => c.RequiredSkills).HasField("_requiredSkills").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(2000);
        b.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Messages).HasField("_messages").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(c => c.Timeline).WithOne().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Timeline).HasField("_timeline").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(c => c.DomainEvents);
        b.Ignore(c => c.IsWaitingForAgent);
        b.Ignore(c => c.SlaRunning);

        // Ticks: SQL Server's time type stops at 24 hours, and a pause can last longer.
        b.Property(c => c.SlaPausedWorkingTime).HasConversion<long>();

        // The queue (waiting, by team), an agent's load, a contact's history, and inbox listings.
        b.HasIndex(c => new { c.TeamId, c.WaitingSince });
        b.HasIndex(c => new { c.AssigneeId, c.Status });
        b.HasIndex(c => new { c.ContactId, c.InboxId, c.Status });
        b.HasIndex(c => new { c.Status, c.LastMessageAt });
        b.HasIndex(c => new { c.OfferedAgentId, c.OfferExpiresAt });

        // The SLA sweep looks for conversations whose warning time has come, metric by metric.
        b.HasIndex(c => c.FirstResponseWarnAt);
        b.HasIndex(c => c.NextResponseWarnAt);
        b.HasIndex(c => c.ResolutionWarnAt);

        // Assist: the supervisors' list of upset customers.
        b.HasIndex(c => new { c.CustomerEmotion, c.Status });
        // Reports and the nightly roll-up read conversations by the day they were opened; auto-close by resolution time.
        b.HasIndex(c => c.CreatedAt);
        b.HasIndex(c => new { c.Status, c.ResolvedAt });
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.ToTable("Messages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.AuthorId).HasMaxLength(64);
        b.Property(m => m.AuthorName).HasMaxLength(200);
        b.Property(m => m.Text).HasMaxLength(MessageContent.MaxTextLength);
        b.Property(m => m.ExternalId).HasMaxLength(250);
        b.Property(m => m.DeliveryError).HasMaxLength(1000);
        b.Property(m => m.Attachments).HasField("_attachments").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion();

        // Idempotency: one message per channel id per inbox, whatever the retries.
        b.HasIndex(m => new { m.InboxId, m.ExternalId }).IsUnique().HasFilter("[ExternalId] IS NOT NULL");
        b.HasIndex(m => new { m.ConversationId, m.CreatedAt });
    }
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> b)
    {
        b.ToTable("TimelineEntries");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.ActorId).HasMaxLength(64);
        b.Property(t => t.ActorName).HasMaxLength(200);
        b.Property(t => t.From).HasMaxLength(400);
        b.Property(t => t.To).HasMaxLength(400);
        b.Property(t => t.Note).HasMaxLength(TimelineEntry.MaxNoteLength);
        b.HasIndex(t => new { t.ConversationId, t.OccurredAt });
    }
}

internal sealed class CustomStatusConfiguration : IEntityTypeConfiguration<CustomStatus>
{
    public void Configure(EntityTypeBuilder<CustomStatus> b)
    {
        b.ToTable("CustomStatuses");
        b.HasKey(s => s.Id);
        b.Property(s => s.Key).HasMaxLength(40);
        b.Property(s => s.Label).HasMaxLength(80);
        b.Property(s => s.Color).HasMaxLength(16);
        b.HasIndex(s => s.Key).IsUnique();
    }
}
