using ContactCenter.Application.Feedback;
using Quartz;

namespace ContactCenter.Infrastructure.Reports;

/// <summary>Sends the CSAT surveys that are due (`Csat:SurveyInterval`, default every minute); once per conversation, see <see cref="CsatSurveySender"/>.</summary>
[DisallowConcurrentExecution]
public sealed class CsatSurveyJob(CsatSurveySender sender) : IJob
{
    public static readonly JobKey Key = new("csat-survey", "feedback");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sender.SendDueAsync(cancellationToken).ConfigureAwait(false);
}
