using ContactCenter.Web.Scale;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>Which failures are answered "unavailable, nothing was saved, retry" (503 / hub error) instead of "internal".</summary>
public sealed class DatabaseUnavailableClassificationTests
{
    [Fact]
    public void IsTransient_ConflictLeftAfterTheHandlersRetries_IsRetryable()
    {
        // Seen in the full chat bench: a send whose conversation changed six times in a row while it saved was answered
        // "internal: Something went wrong"; the save rolled back, so the honest answer is "retry".
        Assert.True(DatabaseUnavailable.IsTransient(new DbUpdateConcurrencyException("expected 1 row, affected 0")));
        Assert.True(DatabaseUnavailable.IsTransient(new InvalidOperationException("wrapped", new DbUpdateConcurrencyException("expected 1 row, affected 0"))));
    }

    [Fact]
    public void IsTransient_OtherFailures_AreNot()
    {
        Assert.False(DatabaseUnavailable.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(DatabaseUnavailable.IsTransient(new DbUpdateException("a constraint")));
        Assert.False(DatabaseUnavailable.IsTransient(null));
    }
}
