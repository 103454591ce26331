using ContactCenter.Application.Email;
using ContactCenter.Domain.Inboxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class EmailQuarantineConfiguration : IEntityTypeConfiguration<EmailQuarantineItem>
{
    public void Configure(EntityTypeBuilder<EmailQuarantineItem> b)
    {
        b.ToTable("EmailQuarantine");
        b.HasKey(q => q.Id);
        b.Property(q => q.Id).ValueGeneratedNever();
        b.Property(q => q.Source).HasMaxLength(10);
        b.Property(q => q.Reason).HasMaxLength(EmailQuarantineItem.MaxReasonLength);
        b.Property(q => q.RawKey).HasMaxLength(200);
        b.Property(q => q.RawSha256).HasMaxLength(64);
        b.HasIndex(q => new { q.InboxId, q.RawSha256 });
        b.Property(q => q.Subject).HasMaxLength(300);
        b.Property(q => q.From).HasMaxLength(300);
        b.HasOne<Inbox>().WithMany().HasForeignKey(q => q.InboxId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(q => new { q.Status, q.ReceivedAt });
    }
}

internal sealed class FileOwnerConfiguration : IEntityTypeConfiguration<Application.Files.FileOwner>
{
    public void Configure(EntityTypeBuilder<Application.Files.FileOwner> b)
    {
        b.ToTable("FileOwners");
        b.HasKey(f => f.StorageKey);
        b.Property(f => f.StorageKey).HasMaxLength(Application.Files.FileOwner.MaxKeyLength);
        b.HasOne<Domain.Conversations.Message>().WithMany().HasForeignKey(f => f.MessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.MessageId);
    }
}

internal sealed class ImapCursorConfiguration : IEntityTypeConfiguration<ImapCursor>
{
    public void Configure(EntityTypeBuilder<ImapCursor> b)
    {
        b.ToTable("ImapCursors");
        b.HasKey(c => c.InboxId);
        b.Property(c => c.Folder).HasMaxLength(200);
        b.HasOne<Inbox>().WithMany().HasForeignKey(c => c.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
