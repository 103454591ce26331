using System.Data.Common;
using System.Globalization;
using ContactCenter.Web.Endpoints;

namespace ContactCenter.Web.Scale;

/// <summary>
/// The database briefly unavailable (locked past the busy timeout, a SQL Server failover, a dropped connection):
/// the request fails with a clear, retryable answer — HTTP 503 with Retry-After and a problem body, or the hub
/// error <c>unavailable: …</c> — and nothing was acknowledged, so the client's retry (same client id or
/// Idempotency-Key) stores it exactly once. A save that still met a concurrent change of the same rows after the
/// handler's own retries (an optimistic-concurrency conflict under heavy contention) is answered the same way: it
/// rolled back, and a retry is safe.
/// </summary>
public static class DatabaseUnavailable
{
    public const string Code = "unavailable";
    public const string Message = "The database is briefly unavailable; nothing was saved. Please retry.";
    public const int RetryAfterSeconds = 2;

    /// <summary>Whether the exception (or one inside it) is a transient database failure or a conflict left after the retries.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true }
                || e is Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException
                || e is Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException
                || (e is Microsoft.Data.Sqlite.SqliteException sqlite && sqlite.SqliteErrorCode is 5 or 6 or 10 or 14))
            {
                return true; // 5 BUSY, 6 LOCKED, 10 IOERR, 14 CANTOPEN
            }
        }

        return false;
    }

    /// <summary>Answers 503 for a transient database failure anywhere below it (any environment).</summary>
    public static IApplicationBuilder UseDatabaseUnavailableAnswers(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (IsTransient(ex) && !context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ProblemResults.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Code, Message);
            }
        });
}
