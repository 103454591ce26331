using System.Security.Claims;
using System.Security.Cryptography;
using ContactCenter.Application.Api;

namespace ContactCenter.Web.Endpoints;

/// <summary>Marks a creating endpoint as honouring <c>Idempotency-Key</c> (see docs/adr/019-api-conventions.md).</summary>
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// Same caller + endpoint + <c>Idempotency-Key</c> + body within 24 h: the stored 2xx response is replayed
/// (with <c>Idempotent-Replayed: true</c>) and the endpoint does not run again. Same key, other body: 422.
/// Failures (4xx/5xx) are not stored, so a corrected retry with the same key runs.
/// </summary>
public static class IdempotencyMiddleware
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxBodyBytes = 1024 * 1024;

    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentAttribute());

    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var key = context.Request.Headers[Header].ToString();
            if (key.Length == 0 || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null)
            {
                await next(context);
                return;
            }

            if (key.Length > IdempotencyStore.MaxKeyLength)
            {
                await ProblemResults.WriteAsync(context, StatusCodes.Status400BadRequest, "validation.idempotency_key", $"The Idempotency-Key header is longer than {IdempotencyStore.MaxKeyLength} characters.");
                return;
            }

            context.Request.EnableBuffering(MaxBodyBytes);
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            context.Request.Body.Position = 0;
            var hash = Convert.ToHexString(SHA256.HashData(buffer.ToArray()));
            var caller = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous:" + context.Connection.RemoteIpAddress;
            var fullKey = $"{caller}|{context.Request.Method} {context.Request.Path}|{key}";

            var store = context.RequestServices.GetRequiredService<IdempotencyStore>();
            var found = await store.FindAsync(fullKey, hash, context.RequestAborted);
            if (found.Outcome == IdempotencyOutcome.KeyReusedWithOtherBody)
            {
                await ProblemResults.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency.key_reused", "This Idempotency-Key was already used with a different request body.");
                return;
            }

            if (found is { Outcome: IdempotencyOutcome.Replay, Stored: { } stored })
            {
                await ReplayAsync(context, stored);
                return;
            }

            var scope = context.RequestServices.GetRequiredService<IdempotencyScope>();
            scope.Begin(fullKey, hash, found.Expired);
            var original = context.Response.Body;
            using var captured = new MemoryStream();
            context.Response.Body = captured;
            try
            {
                await next(context);
            }
            catch (IdempotencyKeyTakenException)
            {
                // A twin with the same key committed first; this request's work was rolled back with its record. Answer as the
                // twin's retry would: its stored answer, or 422 when the bodies differ.
                context.Response.Body = original;
                context.Response.Clear();
                var winner = await store.FindAsync(fullKey, hash, context.RequestAborted);
                switch (winner)
                {
                    case { Outcome: IdempotencyOutcome.Replay, Stored: { } twin }:
                        await ReplayAsync(context, twin);
                        return;
                    case { Outcome: IdempotencyOutcome.KeyReusedWithOtherBody }:
                        await ProblemResults.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency.key_reused", "This Idempotency-Key was already used with a different request body.");
                        return;
                    default:
                        throw;
                }
            }
            finally
            {
                context.Response.Body = original;
            }

            var bytes = captured.ToArray();
            var location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
            if (scope.Stored is { } committed)
            {
                // Committed with the work. The endpoint normally answers exactly what was stored; if an inline reaction changed
                // the answer after the commit, the record follows it, so a replay always equals the first answer.
                if (context.Response.StatusCode is >= 200 and < 300
                    && (committed.StatusCode != context.Response.StatusCode || committed.ContentType != context.Response.ContentType || committed.Location != location
                        || !committed.Body.AsSpan().SequenceEqual(bytes)))
                {
                    await store.ReplaceAnswerAsync(committed, context.Response.StatusCode, context.Response.ContentType, location, bytes, context.RequestAborted);
                }
            }
            else if (context.Response.StatusCode is >= 200 and < 300)
            {
                await store.SaveAsync(fullKey, hash, context.Response.StatusCode, context.Response.ContentType, location, bytes, context.RequestAborted, found.Expired);
            }

            await original.WriteAsync(bytes, context.RequestAborted);
        });

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord stored)
    {
        context.Response.StatusCode = stored.StatusCode;
        context.Response.ContentType = stored.ContentType;
        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }
}
