using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Channels.Tests;

public sealed class ChannelRegistrationTests
{
    [Fact]
    public void AddChannels_EveryOutboundChannel_HasExactlyOneSenderOrNone()
    {
        using var host = new ContactCenterHost();
        var senders = host.Services.GetServices<IChannelSender>().ToList();

        foreach (var group in senders.GroupBy(s => s.Channel))
        {
            Assert.True(group.Count() == 1, $"{group.Key} has {group.Count()} senders registered.");
            Assert.True(OutboxRules.SendsThroughOutbox(group.Key), $"{group.Key} delivers by push, yet has an outbound sender.");
        }

        Assert.DoesNotContain(senders, s => s.Channel is ChannelKind.WebChat or ChannelKind.Api);
    }
}
