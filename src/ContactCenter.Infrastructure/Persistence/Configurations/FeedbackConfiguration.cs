using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContactCenter.Infrastructure.Persistence.Configurations;

internal sealed class CsatSurveyConfiguration : IEntityTypeConfiguration<Application.Feedback.CsatSurvey>
{
    public void Configure(EntityTypeBuilder<Application.Feedback.CsatSurvey> b)
    {
        b.ToTable("CsatSurveys");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasOne<Conversation>().WithMany().HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);

        // A conversation is surveyed once, whatever the nodes and retries.
        b.HasIndex(s => s.ConversationId).IsUnique();
    }
}

internal sealed class CsatRatingConfiguration : IEntityTypeConfiguration<CsatRating>
{
    public void Configure(EntityTypeBuilder<CsatRating> b)
    {
        b.ToTable("CsatRatings");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Comment).HasMaxLength(CsatRating.MaxCommentLength);
        b.Ignore(r => r.DomainEvents);
        b.HasOne<Conversation>().WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);

        // One rating per conversation, whatever the retries or tabs; reports by agent, team and inbox over time.
        b.HasIndex(r => r.ConversationId).IsUnique();
        b.HasIndex(r => new { r.AgentId, r.CreatedAt });
        b.HasIndex(r => new { r.TeamId, r.CreatedAt });
        b.HasIndex(r => new { r.InboxId, r.CreatedAt });
    }
}
