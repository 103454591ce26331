using System.Collections.Concurrent;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Web.Tests.Privacy;

/// <summary>
/// Every log line the app writes (Debug and up, framework included) while an email is ingested and its acknowledgement fails
/// at the relay: no sender address, name, phone number or message text in messages, structured values or exceptions.
/// </summary>
public sealed class PersonalDataInLogsTests : IDisposable
{
    private const string Email = "carla.logcheck@example.org";
    private const string Name = "Carla Logcheckname";
    private const string Phone = "+44 7700 900123";
    private const string Text = "my secret order text QX-55321";

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ContactCenterHost _host;

    public PersonalDataInLogsTests() => _host = new ContactCenterHost(
        new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Email:Outbound:Host"] = "127.0.0.1",
            ["Email:Outbound:Port"] = "1",
        },
        configureServices: s => s.AddSingleton<ILoggerProvider>(_logs));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task IngestAndFailedAcknowledgement_LogsCarryNoPersonalData()
    {
        var inbox = await _host.CreateInboxAsync("Mail", ChannelKind.Email, null);
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var stored = await db.Inboxes.SingleAsync(i => i.Id == inbox.Id);
            stored.SetSetting(EmailSettings.Address, "support@shop.test");
            stored.SetSetting(EmailSettings.Acknowledgement, "Thanks {name}, we got #{number}.");
            await db.SaveChangesAsync();
        });
        _logs.Clear();

        var raw = Encoding.UTF8.GetBytes(
            $"From: {Name} <{Email}>\r\nTo: support@shop.test\r\nSubject: Order for {Name}\r\nMessage-ID: <pii-1@example.org>\r\n" +
            $"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{Text}\r\nCall me on {Phone}\r\n");
        var acknowledged = await _host.InScopeAsync(async sp =>
        {
            var outcome = await sp.GetRequiredService<EmailIngest>().IngestAsync(inbox.Id, raw, "test", CancellationToken.None);
            Assert.NotNull(outcome.ConversationId);
            var stored = await sp.GetRequiredService<IApplicationDbContext>().Inboxes.AsNoTracking().SingleAsync(i => i.Id == inbox.Id);
            return await sp.GetRequiredService<EmailAcknowledger>().AcknowledgeAsync(stored, outcome.ConversationId!.Value, CancellationToken.None);
        });

        Assert.False(acknowledged);
        Assert.Contains(_logs.Lines, l => l.Contains("Acknowledgement to email#", StringComparison.Ordinal));
        foreach (var value in new[] { Email, "carla.logcheck", "Logcheckname", "7700 900123", "7700900123", "QX-55321" })
        {
            Assert.DoesNotContain(_logs.Lines, l => l.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Clear() => Lines.Clear();

        public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Lines.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
