using System.Buffers;
using System.Net;
using ContactCenter.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ContactCenter.Channels.Email;

/// <summary>Configuration <c>Email:Smtp</c>: the built-in receiver for forwarding addresses (off unless <c>Port</c> is set).</summary>
public sealed class SmtpReceiverOptions
{
    public const string Section = "Email:Smtp";

    public int Port { get; set; }

    /// <summary>The address to listen on (default: all interfaces).</summary>
    public string? Listen { get; set; }

    public string ServerName { get; set; } = "contactcenter";

    /// <summary>Larger messages are refused with 552 (default 25 MB).</summary>
    public int MaxMessageBytes { get; set; } = 25 * 1024 * 1024;
}

/// <summary>
/// The built-in SMTP receiver: RCPT TO selects the email inbox by its <c>address</c> setting (unknown → 550); DATA is
/// answered 250 only after the message is committed (filed, or quarantined with its raw bytes), 451 when the database
/// failed so the sending server retries.
/// </summary>
public sealed partial class SmtpReceiver(IServiceScopeFactory scopes, IOptions<SmtpReceiverOptions> options, ILogger<SmtpReceiver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Port <= 0)
        {
            return;
        }

        var endpoint = new IPEndPoint(IPAddress.TryParse(o.Listen, out var ip) ? ip : IPAddress.Any, o.Port);
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(o.ServerName)
            .Endpoint(b => b.Endpoint(endpoint))
            .MaxMessageSize(o.MaxMessageBytes, MaxMessageSizeHandling.Strict)
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new InboxFilter(scopes));
        services.Add(new CommittingStore(scopes, logger));
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        LogListening(endpoint.ToString());
        try
        {
            await server.StartAsync(stoppingToken);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // The rest of the contact center keeps working; mail stays with the sending servers, which retry.
            LogCannotListen(endpoint.ToString(), ex);
        }
    }

    [LoggerMessage(EventId = 8512, Level = LogLevel.Critical, Message = "SMTP receiver cannot listen on {Endpoint}: inbound mail by SMTP is off")]
    private partial void LogCannotListen(string endpoint, Exception exception);

    [LoggerMessage(EventId = 8510, Level = LogLevel.Information, Message = "SMTP receiver listening on {Endpoint}")]
    private partial void LogListening(string endpoint);

    private sealed class InboxFilter(IServiceScopeFactory scopes) : MailboxFilter
    {
        public override async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            return await EmailSettings.FindByAddressAsync(db, to.AsAddress(), cancellationToken) is not null;
        }
    }

    private sealed partial class CommittingStore(IServiceScopeFactory scopes, ILogger logger) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var raw = buffer.ToArray();
            try
            {
                var filedInboxes = new HashSet<Domain.Common.InboxId>();
                foreach (var recipient in transaction.To)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
                    var inbox = await EmailSettings.FindByAddressAsync(db, recipient.AsAddress(), cancellationToken);
                    if (inbox is null || !filedInboxes.Add(inbox.Id))
                    {
                        continue;
                    }

                    var ingest = scope.ServiceProvider.GetRequiredService<EmailIngest>();
                    var outcome = await ingest.IngestAsync(inbox.Id, raw, "smtp", cancellationToken);
                    if (outcome.Kind == EmailOutcomeKind.Filed && outcome.NewConversation && outcome.Classification == EmailKind.Personal)
                    {
                        await scope.ServiceProvider.GetRequiredService<EmailAcknowledger>().AcknowledgeAsync(inbox, outcome.ConversationId!.Value, cancellationToken);
                    }
                }

                return SmtpResponse.Ok;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not committed: the sender keeps the message and retries.
                LogNotStored(logger, ex);
                return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 Temporary failure storing the message, try again later");
            }
        }

        [LoggerMessage(EventId = 8511, Level = LogLevel.Warning, Message = "Email not stored (answered 451)")]
        private static partial void LogNotStored(ILogger logger, Exception exception);
    }
}
