using ContactCenter.Domain.Replies;
using ContactCenter.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class CannedResponseConfiguration : IEntityTypeConfiguration<CannedResponse>
{
    public void Configure(EntityTypeBuilder<CannedResponse> b)
    {
        b.ToTable("CannedResponses");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Shortcut).HasMaxLength(CannedResponse.MaxShortcutLength);
        b.Property(r => r.Title).HasMaxLength(CannedResponse.MaxTitleLength);
        b.Property(r => r.Text).HasMaxLength(CannedResponse.MaxTextLength);
        b.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.Shortcut).IsUnique();
    }
}
