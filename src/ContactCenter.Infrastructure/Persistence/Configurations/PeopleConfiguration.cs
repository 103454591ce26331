using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.ToTable("Contacts");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Email).HasMaxLength(320);
        b.Property(c => c.Phone).HasMaxLength(40);
        b.Property(c => c.Locale).HasMaxLength(20);
        b.Property(c => c.Attributes).HasField("_attributes").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(DictionaryJson.Converter, DictionaryJson.Comparer).HasMaxLength(8000);
        b.Ignore(c => c.DomainEvents);
        b.HasIndex(c => c.Email);
        b.OwnsMany(c => c.Identities, i =>
        {
            i.ToTable("ContactIdentities");
            i.WithOwner().HasForeignKey("ContactId");
            i.Property<int>("Id");
            i.HasKey("Id");
            i.Property(x => x.Kind);
            i.Property(x => x.Value).HasMaxLength(320);
            // One person per identity: the same email or phone never belongs to two contacts.
            i.HasIndex(x => new { x.Kind, x.Value }).IsUnique();
        });
        b.Navigation(c => c.Identities).HasField("_identities").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
        b.ToTable("Agents");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.UserId).HasMaxLength(450);
        b.HasIndex(a => a.UserId).IsUnique();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(a => a.DisplayName).HasMaxLength(200);
        b.Property(a => a.Email).HasMaxLength(320);
        b.Property(a => a.Locale).HasMaxLength(10);
        b.Property(a => a.AwayReason).HasMaxLength(100);
        b.Property(a => a.Signature).HasMaxLength(Agent.MaxSignatureLength);
        b.Property(a => a.TeamIds).HasField("_teamIds").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(4000);
        b.Property(a => a.Skills).HasField("_skills").UsePropertyAccessMode(PropertyAccessMode.Field).HasJsonConversion().HasMaxLength(4000);
        b.Ignore(a => a.Capacity);
        b.Ignore(a => a.DomainEvents);
        b.HasIndex(a => a.Presence);
        b.Property(a => a.AssignmentVersion).IsConcurrencyToken();
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("Teams");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(80);
        b.Property(t => t.Description).HasMaxLength(500);
        b.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class InboxConfiguration : IEntityTypeConfiguration<Inbox>
{
    public void Configure(EntityTypeBuilder<Inbox> b)
    {
        b.ToTable("Inboxes");
        b.HasKey(i => i.Id);
        b.Property(i => i.Id).ValueGeneratedNever();
        b.Property(i => i.Name).HasMaxLength(80);
        b.Property(i => i.Greeting).HasMaxLength(1000);
        b.Property(i => i.Settings).HasField("_settings").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(DictionaryJson.Converter, DictionaryJson.Comparer).HasMaxLength(8000);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("ApiTokens");
        b.HasKey(t => t.Id);
        b.Property(t => t.UserId).HasMaxLength(450);
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.Scopes).HasMaxLength(100);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> b)
    {
        b.ToTable("Counters");
        b.HasKey(c => c.Name);
        b.Property(c => c.Name).HasMaxLength(50);
        b.HasData(new Counter { Name = Counter.ConversationNumber, Value = 1000 });
    }
}
