namespace ContactCenter.Application.Abstractions;

/// <summary>
/// Which lane a piece of work's database writes queue in, where the database serialises writers (SQLite: one writer
/// per file, see ADR 021). Work that every waiting customer depends on (the router's assignments) raises its lane so
/// its saves do not wait behind the whole queue of message saves; the gate then alternates between the lanes, so
/// neither starves. Flows with the async context; a database without such a queue ignores it.
/// </summary>
public static class WriteLane
{
    private static readonly AsyncLocal<bool> Priority = new();

    /// <summary>True while the current async flow writes in the priority lane.</summary>
    public static bool IsPriority => Priority.Value;

    /// <summary>Writes in the priority lane until the returned scope is disposed.</summary>
    public static IDisposable EnterPriority()
    {
        var previous = Priority.Value;
        Priority.Value = true;
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => Priority.Value = previous;
    }
}
