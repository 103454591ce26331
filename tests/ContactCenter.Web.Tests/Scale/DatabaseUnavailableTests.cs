using System.Net;
using System.Net.Http.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Tests.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>
/// The database briefly unavailable (here: another process holds SQLite's write lock past the busy timeout):
/// requests fail fast with a clear, retryable error, nothing is acknowledged, and the client's retry with the
/// same client id is stored exactly once.
/// </summary>
public sealed class DatabaseUnavailableTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;
    private readonly ContactCenterHost _host;

    public DatabaseUnavailableTests()
    {
        Directory.CreateDirectory(_data);
        _connectionString = $"Data Source={Path.Combine(_data, "contactcenter.db")}";
        _host = new ContactCenterHost(
            new Dictionary<string, string?> { ["ConnectionStrings:ContactCenter"] = _connectionString + ";Default Timeout=1" },
            sharedDataDirectory: _data);
    }

    [Fact]
    public async Task WriteLockHeldElsewhere_SendAndSessionFailRetryably_RetryAfterwardsStoredOnce()
    {
        var team = await _host.CreateTeamAsync("Support");
        var inbox = await _host.CreateInboxAsync("Chat", ChannelKind.WebChat, team.Id);
        var (customer, _) = await _host.CustomerAsync(inbox.Id.Value, "Dora");
        await using var _ = customer;
        using var http = _host.CreateRealClient();
        var request = new ChatSendRequest("dora-1", "Is anyone there?");

        await using (var blocker = new SqliteConnection(_connectionString + ";Pooling=False"))
        {
            await blocker.OpenAsync();
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            var failure = await Assert.ThrowsAsync<HubException>(() => customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), request).Within("a send while the database is locked"));
            Assert.Contains("unavailable: The database is briefly unavailable", failure.Message, StringComparison.Ordinal);

            using var session = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inbox.Id.Value, null, "Eve")).Within("a session while the database is locked");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, session.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), session.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", session.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"code\":\"unavailable\"", await session.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        // The lock is gone: the client retries with the same id; a second retry is recognised as a duplicate.
        var stored = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), request).Within("the retry");
        var again = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), request).Within("a second retry");
        Assert.False(stored.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(stored.MessageId, again.MessageId);
        var count = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync(m => m.Direction == MessageDirection.Inbound));
        Assert.Equal(1, count);
    }

    public void Dispose()
    {
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
