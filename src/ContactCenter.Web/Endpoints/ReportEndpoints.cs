using System.Text;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Reports;
using ContactCenter.Domain.Common;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

/// <summary>Reports for supervisors: JSON by default, CSV with `format=csv` (a download); `channel` and `team` (a team id, the empty GUID for no team) filter all but the agent report.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").RequireAuthorization(Policies.Supervisors).WithTags("Reports")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        reports.MapGet("/volume", (DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, ReportQueries queries, TimeProvider time, CancellationToken ct) =>
            RunAsync(from, to, channel, team, format, time, "volume", range => queries.VolumeAsync(range, ct)))
            .WithSummary("Conversations opened per UTC day, channel and team (from/to: yyyy-MM-dd, default the last 30 days)")
            .Produces<IReadOnlyList<VolumeRow>>();

        reports.MapGet("/response-times", (DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, ReportQueries queries, TimeProvider time, CancellationToken ct) =>
            RunAsync(from, to, channel, team, format, time, "response-times", range => queries.ResponseTimesAsync(range, ct)))
            .WithSummary("First-response and resolution time (minutes, median and p90) per channel and team, of conversations opened in the period")
            .Produces<IReadOnlyList<ResponseTimeRow>>();

        reports.MapGet("/sla-compliance", (DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, ReportQueries queries, TimeProvider time, CancellationToken ct) =>
            RunAsync(from, to, channel, team, format, time, "sla-compliance", range => queries.SlaComplianceAsync(range, ct)))
            .WithSummary("Per team: conversations under an SLA policy, breaches per metric, and the share with no breach")
            .Produces<IReadOnlyList<SlaComplianceRow>>();

        reports.MapGet("/csat", (DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, ReportQueries queries, TimeProvider time, CancellationToken ct) =>
            RunAsync(from, to, channel, team, format, time, "csat", range => queries.CsatAsync(range, ct)))
            .WithSummary("Per team: CSAT ratings of conversations opened in the period, average score and share satisfied (4-5)")
            .Produces<IReadOnlyList<CsatRow>>();

        reports.MapGet("/agents", (DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, ReportQueries queries, TimeProvider time, CancellationToken ct) =>
            RunAsync(from, to, channel, team, format, time, "agents", range => queries.AgentsAsync(range, ct)))
            .WithSummary("Per agent, of conversations opened in the period: assigned, handled, replies, first-response and resolution time (minutes, median and p90), CSAT")
            .Produces<IReadOnlyList<AgentPerformanceRow>>();

        reports.MapGet("/conversations.csv", ExportConversationsAsync)
            .WithSummary("The conversations opened in the period as CSV, one row each with its transcript, streamed; private notes only with includeNotes=true, for admins; the export is audited")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> ExportConversationsAsync(DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, bool? includeNotes, HttpContext http, ConversationExport export,
        AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var range = ReportRange.Create(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (!range.IsSuccess)
        {
            return ProblemResults.From(range.Error!);
        }

        var notes = includeNotes == true;
        if (notes && !http.User.IsInRole(Roles.Admin))
        {
            return Results.Forbid();
        }

        // Audited before the first byte: an export that the client breaks off has still been (partly) read.
        var period = range.Value! with { Channel = channel, TeamId = team };
        await audit.WriteAsync(AuditActors.From(http), AuditActions.ConversationsExported, null, new { from = period.From, to = period.To, channel, team, includeNotes = notes }, ct);
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024);
            await export.WriteCsvAsync(writer, period, notes, ct);
        }, "text/csv; charset=utf-8", $"conversations-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}.csv");
    }

    private static async Task<IResult> RunAsync<T>(DateOnly? from, DateOnly? to, ChannelKind? channel, Guid? team, string? format, TimeProvider time, string name,
        Func<ReportRange, Task<IReadOnlyList<T>>> report)
    {
        var range = ReportRange.Create(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (!range.IsSuccess)
        {
            return ProblemResults.From(range.Error!);
        }

        var rows = await report(range.Value! with { Channel = channel, TeamId = team });
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return Results.File(System.Text.Encoding.UTF8.GetBytes(Csv.Write(rows)), "text/csv; charset=utf-8",
                $"{name}-{range.Value!.From:yyyy-MM-dd}-{range.Value.To:yyyy-MM-dd}.csv");
        }

        return Results.Ok(rows);
    }
}
