using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class AutomationRuleConfiguration : IEntityTypeConfiguration<AutomationRule>
{
    public void Configure(EntityTypeBuilder<AutomationRule> b)
    {
        b.ToTable("AutomationRules");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Name).HasMaxLength(AutomationRule.MaxNameLength);
        b.Property(r => r.Conditions).HasField("_conditions").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(16000);
        b.Property(r => r.Actions).HasField("_actions").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(32000);
        b.HasIndex(r => r.Name).IsUnique();
        b.HasIndex(r => new { r.Trigger, r.Enabled });
    }
}

internal sealed class MacroConfiguration : IEntityTypeConfiguration<Macro>
{
    public void Configure(EntityTypeBuilder<Macro> b)
    {
        b.ToTable("Macros");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Name).HasMaxLength(Macro.MaxNameLength);
        b.Property(m => m.Actions).HasField("_actions").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(32000);
        b.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => m.Name).IsUnique();
    }
}

internal sealed class AutomationFiringConfiguration : IEntityTypeConfiguration<AutomationFiring>
{
    public void Configure(EntityTypeBuilder<AutomationFiring> b)
    {
        b.ToTable("AutomationFirings");
        b.HasKey(f => f.Id);
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.SourceName).HasMaxLength(100);
        b.Property(f => f.Event).HasMaxLength(40);
        b.Property(f => f.ActionsApplied).HasMaxLength(AutomationFiring.MaxDetailLength);
        b.Property(f => f.Detail).HasMaxLength(AutomationFiring.MaxDetailLength);
        b.Property(f => f.AppliedBy).HasMaxLength(200);
        b.HasOne<Conversation>().WithMany().HasForeignKey(f => f.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.SourceId, f.Id });
        b.HasIndex(f => new { f.ConversationId, f.Id });
    }
}

internal sealed class DailyRollupConfiguration : IEntityTypeConfiguration<Application.Reports.DailyRollup>
{
    public void Configure(EntityTypeBuilder<Application.Reports.DailyRollup> b)
    {
        b.ToTable("DailyRollups");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.FirstResponseHistogram).HasMaxLength(1000);
        b.Property(r => r.ResolutionHistogram).HasMaxLength(1000);

        // One row per day x channel x team; reports read a range of days.
        b.HasIndex(r => new { r.Day, r.Channel, r.TeamKey }).IsUnique();
    }
}

internal sealed class AgentDailyRollupConfiguration : IEntityTypeConfiguration<Application.Reports.AgentDailyRollup>
{
    public void Configure(EntityTypeBuilder<Application.Reports.AgentDailyRollup> b)
    {
        b.ToTable("AgentDailyRollups");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.FirstResponseHistogram).HasMaxLength(1000);
        b.Property(r => r.ResolutionHistogram).HasMaxLength(1000);

        // One row per day x agent; the agent report reads a range of days.
        b.HasIndex(r => new { r.Day, r.AgentId }).IsUnique();
    }
}
