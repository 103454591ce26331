using System.Buffers.Text;
using System.Text.Json;

namespace ContactCenter.Application.Api;

/// <summary>One page of a list: the items and, when more follow, the opaque cursor of the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, [property: System.Text.Json.Serialization.JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>
/// Keyset position in a list ordered by a time (then id): the last time seen and the ids already returned at
/// exactly that time (ties). Providers compare ids differently, so ties are excluded by id instead of compared.
/// Sent to clients base64url-encoded, so they treat it as opaque.
/// </summary>
public sealed record KeysetCursor(long Ticks, IReadOnlyList<Guid> SeenAtTicks)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public DateTimeOffset At => new(Ticks, TimeSpan.Zero);

    public static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(Ticks, SeenAtTicks)));

    /// <summary>Null input: the first page. Garbage: a validation error (400), never an exception.</summary>
    public static Domain.Common.Result<KeysetCursor?> Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return Domain.Common.Result<KeysetCursor?>.Success(null);
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(cursor));
            if (wire is { Ids.Count: <= MaxLimit })
            {
                return Domain.Common.Result<KeysetCursor?>.Success(new KeysetCursor(wire.T, wire.Ids));
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
        }

        return Domain.Common.Result<KeysetCursor?>.Failure(Domain.Common.Error.Validation("cursor", "The cursor is not one this API returned."));
    }

    /// <summary>The page of <paramref name="limit"/> out of <paramref name="fetched"/> (limit + 1 rows asked), and the next cursor.</summary>
    public static Page<TOut> PageOf<TRow, TOut>(IReadOnlyList<TRow> fetched, int limit, Func<TRow, DateTimeOffset> time, Func<TRow, Guid> id, KeysetCursor? previous, Func<IReadOnlyList<TRow>, IReadOnlyList<TOut>> map)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        ArgumentNullException.ThrowIfNull(map);
        var rows = fetched.Take(limit).ToList();
        if (fetched.Count <= limit || rows.Count == 0)
        {
            return new Page<TOut>(map(rows), null);
        }

        var last = time(rows[^1]).UtcTicks;
        var ties = rows.Where(r => time(r).UtcTicks == last).Select(id).ToList();
        if (previous is not null && previous.Ticks == last)
        {
            ties.InsertRange(0, previous.SeenAtTicks);
        }

        return new Page<TOut>(map(rows), new KeysetCursor(last, ties).Encode());
    }

    private sealed record Wire(long T, IReadOnlyList<Guid> Ids);
}
