using ContactCenter.Domain.Feedback;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Feedback;

/// <summary>
/// The feedback tables of the unit of work. Implemented by the same DbContext as <see cref="Abstractions.IApplicationDbContext"/>
/// (one scoped instance), so saving through either saves both.
/// </summary>
public interface IFeedbackDbContext
{
    DbSet<CsatRating> CsatRatings { get; }

    DbSet<CsatSurvey> CsatSurveys { get; }
}
