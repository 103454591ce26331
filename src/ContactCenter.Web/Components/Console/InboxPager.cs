using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using Microsoft.AspNetCore.Components.Web.Virtualization;

namespace ContactCenter.Web.Components.Console;

/// <summary>
/// The rows of the virtualised inbox list the console has fetched, by position. <see cref="Virtualize{TItem}"/> asks for a
/// window (start, count); the pager continues from the row just before the window with a keyset cursor when it holds that
/// row (scrolling down), else it asks the server to skip to the window (a jump). A live change empties it (<see cref="Reset"/>):
/// the list then re-reads only the rows in view.
/// </summary>
public sealed class InboxPager(Func<InboxPageRequest, CancellationToken, Task<InboxPage>> fetch)
{
    private readonly Dictionary<int, ConversationSummaryDto> _rows = [];
    private int _generation;

    /// <summary>How many conversations the current view holds (after the last read), or null before the first.</summary>
    public int? Total { get; private set; }

    /// <summary>Forgets the fetched rows and the total (the view, filter or data changed): the next window is read afresh.</summary>
    public void Reset()
    {
        _rows.Clear();
        Total = null;
        _generation++;
    }

    public ConversationSummaryDto? At(int index) => _rows.GetValueOrDefault(index);

    public int IndexOf(Guid id) => _rows.FirstOrDefault(r => r.Value.Id == id) is { Value: not null } hit ? hit.Key : -1;

    /// <summary>The <see cref="Virtualize{TItem}.ItemsProvider"/>.</summary>
    public async ValueTask<ItemsProviderResult<ConversationSummaryDto>> LoadAsync(ItemsProviderRequest request)
    {
        var start = request.StartIndex;
        var count = Math.Max(request.Count, 1);
        if (Total is { } total && Enumerable.Range(start, Math.Max(0, Math.Min(count, total - start))).All(_rows.ContainsKey))
        {
            var held = Enumerable.Range(start, Math.Max(0, Math.Min(count, total - start))).Select(i => _rows[i]).ToList();
            return new ItemsProviderResult<ConversationSummaryDto>(held, total);
        }

        try
        {
            var page = await FetchAsync(start, count, request.CancellationToken);
            return new ItemsProviderResult<ConversationSummaryDto>(page.Items, page.Total);
        }
        catch (OperationCanceledException) when (request.CancellationToken.IsCancellationRequested)
        {
            // Superseded by a newer request (scrolling on, or a refresh). Virtualize ignores a cancellation only when it
            // carries its own token, and a hub call may throw one without it.
            throw new OperationCanceledException(request.CancellationToken);
        }
        catch (Microsoft.AspNetCore.SignalR.HubException)
        {
            // The hub refused (e.g. a dropped connection is being replaced): show nothing new; the next refresh reads again.
            return new ItemsProviderResult<ConversationSummaryDto>([], Total ?? 0);
        }
    }

    /// <summary>The row at a position (for j/k), fetched with its neighbours when not held.</summary>
    public async Task<ConversationSummaryDto?> GetAsync(int index, CancellationToken cancellationToken)
    {
        if (At(index) is { } held)
        {
            return held;
        }

        var page = await FetchAsync(index, 20, cancellationToken);
        return page.Items.Count > 0 ? page.Items[0] : null;
    }

    private async Task<InboxPage> FetchAsync(int start, int count, CancellationToken cancellationToken)
    {
        var generation = _generation;
        var after = start > 0 && _rows.TryGetValue(start - 1, out var previous) ? InboxCursor.Of(previous) : null;
        var page = await fetch(new InboxPageRequest(after, after is null ? start : 0, Math.Min(count, InboxPageRequest.MaxTake)), cancellationToken);
        if (generation == _generation)
        {
            Total = page.Total;
            for (var i = 0; i < page.Items.Count; i++)
            {
                _rows[start + i] = page.Items[i];
            }
        }

        return page;
    }
}
