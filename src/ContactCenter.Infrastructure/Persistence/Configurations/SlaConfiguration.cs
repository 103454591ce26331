using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using ContactCenter.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class BusinessHoursConfiguration : IEntityTypeConfiguration<BusinessHoursCalendar>
{
    public void Configure(EntityTypeBuilder<BusinessHoursCalendar> b)
    {
        b.ToTable("BusinessHours");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Name).HasMaxLength(BusinessHoursCalendar.MaxNameLength);
        b.Property(c => c.TimeZoneId).HasMaxLength(100);
        b.Property(c => c.Intervals).HasField("_intervals").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(8000);
        b.Property(c => c.Holidays).HasField("_holidays").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(8000);
        b.Ignore(c => c.TimeZone);
        b.HasIndex(c => c.Name).IsUnique();

        // A team has an optional calendar; deleting a calendar leaves its teams on 24/7.
        b.HasMany<Team>().WithOne().HasForeignKey(t => t.BusinessHoursId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> b)
    {
        b.ToTable("SlaPolicies");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.Name).HasMaxLength(SlaPolicy.MaxNameLength);
        b.Property(p => p.Conditions).HasJsonConversion().HasMaxLength(8000);
        b.Property(p => p.Targets).HasField("_targets").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(4000);
        b.HasIndex(p => p.Name).IsUnique();
        b.HasIndex(p => p.Order);
    }
}

internal sealed class SlaEventConfiguration : IEntityTypeConfiguration<SlaEvent>
{
    public void Configure(EntityTypeBuilder<SlaEvent> b)
    {
        b.ToTable("SlaEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.RecordedBy).HasMaxLength(100);
        b.HasOne<Conversation>().WithMany().HasForeignKey(e => e.ConversationId).OnDelete(DeleteBehavior.Cascade);

        // Exactly once: a second node (or a retried sweep) inserting the same warning/breach hits this key.
        b.HasIndex(e => new { e.ConversationId, e.Metric, e.Kind }).IsUnique();
        b.HasIndex(e => new { e.Kind, e.RecordedAt });
        b.HasIndex(e => new { e.TeamId, e.RecordedAt });
    }
}
