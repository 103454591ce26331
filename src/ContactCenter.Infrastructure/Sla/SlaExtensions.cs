using ContactCenter.Application.Sla;
using ContactCenter.Infrastructure.Sla;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ContactCenter.Infrastructure;

public static class SlaExtensions
{
    /// <summary>The SLA sweep (warnings, breaches, snooze wake-ups, auto-close) as a Quartz job on the app's scheduler.</summary>
    public static IHostApplicationBuilder AddSlaJobs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var reports = builder.Configuration.GetSection(Application.Reports.ReportOptions.Section).Get<Application.Reports.ReportOptions>() ?? new();
        var interval = builder.Configuration.GetSection(SlaOptions.Section).Get<SlaOptions>()?.SweepInterval ?? new SlaOptions().SweepInterval;
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<SlaSweepJob>(j => j.WithIdentity(SlaSweepJob.Key).StoreDurably());
            if (interval > TimeSpan.Zero)
            {
                q.AddTrigger(t => t.ForJob(SlaSweepJob.Key)
                    .WithIdentity("sla-sweep", "sla")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
            }

            // CSAT surveys of resolved email/messaging conversations.
            var csat = builder.Configuration.GetSection(Application.Feedback.CsatOptions.Section).Get<Application.Feedback.CsatOptions>() ?? new();
            q.AddJob<Reports.CsatSurveyJob>(j => j.WithIdentity(Reports.CsatSurveyJob.Key).StoreDurably());
            if (csat.SurveyDelay > TimeSpan.Zero && csat.SurveyInterval > TimeSpan.Zero)
            {
                q.AddTrigger(t => t.ForJob(Reports.CsatSurveyJob.Key).WithIdentity("csat-survey", "feedback")
                    .StartAt(DateTimeOffset.UtcNow.AddSeconds(10))
                    .WithSimpleSchedule(s => s.WithInterval(csat.SurveyInterval).RepeatForever()));
            }

            // Nightly report roll-ups (closed days), plus one run shortly after start.
            q.AddJob<Reports.ReportRollupJob>(j => j.WithIdentity(Reports.ReportRollupJob.Key).StoreDurably());
            if (!string.IsNullOrWhiteSpace(reports.RollupCron))
            {
                q.AddTrigger(t => t.ForJob(Reports.ReportRollupJob.Key).WithIdentity("report-rollup-nightly", "reports")
                    .WithCronSchedule(reports.RollupCron, c => c.InTimeZone(TimeZoneInfo.Utc)));
                q.AddTrigger(t => t.ForJob(Reports.ReportRollupJob.Key).WithIdentity("report-rollup-start", "reports")
                    .StartAt(DateTimeOffset.UtcNow.AddSeconds(30)));
            }
        });
        return builder;
    }
}
