using ContactCenter.Domain.Conversations;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Conversations;

public class MessageTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void Validate_BlankTextWithoutAttachments_ReturnsEmptyError(string text)
    {
        var result = new MessageContent(text).Validate();

        Assert.False(result.IsSuccess);
        Assert.Equal("validation.message.empty", result.Error!.Code);
    }

    [Fact]
    public void Validate_BlankTextWithEmptyAttachmentList_ReturnsEmptyError()
    {
        var result = new MessageContent("", Attachments: []).Validate();

        Assert.Equal("validation.message.empty", result.Error?.Code);
    }

    [Fact]
    public void Validate_HtmlOnlyWithoutText_ReturnsEmptyError()
    {
        var result = new MessageContent("", "<p>hi</p>").Validate();

        Assert.Equal("validation.message.empty", result.Error?.Code);
    }

    [Fact]
    public void Validate_TextlessWithAttachment_Succeeds()
    {
        var result = new MessageContent("", Attachments: [File()]).Validate();

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Validate_TextAtMaxLength_Succeeds()
    {
        var result = new MessageContent(new string('a', MessageContent.MaxTextLength)).Validate();

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Validate_TextOverMaxLength_ReturnsTooLongError()
    {
        var result = new MessageContent(new string('a', MessageContent.MaxTextLength + 1)).Validate();

        Assert.False(result.IsSuccess);
        Assert.Equal("validation.message.too_long", result.Error!.Code);
    }

    [Fact]
    public void Validate_TextOverMaxLengthWithAttachment_ReturnsTooLongError()
    {
        var result = new MessageContent(new string('a', MessageContent.MaxTextLength + 1), Attachments: [File()]).Validate();

        Assert.Equal("validation.message.too_long", result.Error?.Code);
    }

    [Fact]
    public void ReceiveFromContact_ValidContent_CreatesInboundMessageWithoutDeliveryStatus()
    {
        var conversation = NewConversation();
        var attachment = File();

        var message = conversation.ReceiveFromContact("Carol", new MessageContent("Hi", "<p>Hi</p>", [attachment]), "ext-1", Now).Value;

        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(AuthorKind.Contact, message.AuthorKind);
        Assert.Equal(conversation.ContactId.ToString(), message.AuthorId);
        Assert.Equal("Carol", message.AuthorName);
        Assert.Equal("Hi", message.Text);
        Assert.Equal("<p>Hi</p>", message.Html);
        Assert.Equal("ext-1", message.ExternalId);
        Assert.Equal(conversation.Id, message.ConversationId);
        Assert.Equal(conversation.InboxId, message.InboxId);
        Assert.Equal(Now, message.CreatedAt);
        Assert.False(message.IsPrivate);
        Assert.Equal(DeliveryStatus.None, message.DeliveryStatus);
        Assert.Equal([attachment], message.Attachments);
        Assert.NotEqual(Guid.Empty, message.Id.Value);
    }

    [Fact]
    public void ReplyFromAgent_PublicReply_StartsQueued()
    {
        var conversation = NewConversation();

        var message = conversation.ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: false, null, Now).Value;

        Assert.Equal(MessageDirection.Outbound, message.Direction);
        Assert.Equal(AuthorKind.Agent, message.AuthorKind);
        Assert.Equal(AliceId.ToString(), message.AuthorId);
        Assert.Equal(DeliveryStatus.Queued, message.DeliveryStatus);
        Assert.Null(message.DeliveryUpdatedAt);
    }

    [Fact]
    public void ReplyFromAgent_PrivateNote_HasNoDeliveryStatus()
    {
        var conversation = NewConversation();

        var message = conversation.ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: true, null, Now).Value;

        Assert.True(message.IsPrivate);
        Assert.Equal(DeliveryStatus.None, message.DeliveryStatus);
    }

    [Theory]
    [InlineData(AuthorKind.System)]
    [InlineData(AuthorKind.Bot)]
    public void AddSystemMessage_SystemOrBot_StartsQueuedWithoutAuthorId(AuthorKind kind)
    {
        var conversation = NewConversation();

        var message = conversation.AddSystemMessage(kind, "Greeter", Text("Welcome!"), Now).Value;

        Assert.Equal(kind, message.AuthorKind);
        Assert.Null(message.AuthorId);
        Assert.Equal(DeliveryStatus.Queued, message.DeliveryStatus);
    }

    [Fact]
    public void Attachments_ContentListChangedAfterwards_MessageKeepsItsCopy()
    {
        var attachments = new List<Attachment> { File("a.pdf") };
        var message = NewConversation().ReceiveFromContact("Carol", new MessageContent("", Attachments: attachments), null, Now).Value;

        attachments.Add(File("b.pdf"));

        Assert.Single(message.Attachments);
    }

    [Fact]
    public void UpdateDelivery_InboundMessage_ReturnsValidationError()
    {
        var message = NewConversation().ReceiveFromContact("Carol", Text(), null, Now).Value;

        var result = message.UpdateDelivery(DeliveryStatus.Sent, Now);

        Assert.Equal("validation.message.delivery", result.Error?.Code);
        Assert.Equal(DeliveryStatus.None, message.DeliveryStatus);
    }

    [Fact]
    public void UpdateDelivery_PrivateNote_ReturnsValidationError()
    {
        var note = NewConversation().ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: true, null, Now).Value;

        var result = note.UpdateDelivery(DeliveryStatus.Failed, Now, "boom");

        Assert.Equal("validation.message.delivery", result.Error?.Code);
        Assert.Equal(DeliveryStatus.None, note.DeliveryStatus);
        Assert.Null(note.DeliveryError);
    }

    [Fact]
    public void UpdateDelivery_ForwardSequence_MovesThroughEachStatus()
    {
        var message = QueuedReply();

        foreach (var (status, minutes) in new[] { (DeliveryStatus.Sent, 1), (DeliveryStatus.Delivered, 2), (DeliveryStatus.Read, 3) })
        {
            var result = message.UpdateDelivery(status, Now.AddMinutes(minutes));

            Assert.True(result.IsSuccess);
            Assert.Equal(status, message.DeliveryStatus);
            Assert.Equal(Now.AddMinutes(minutes), message.DeliveryUpdatedAt);
        }
    }

    [Fact]
    public void UpdateDelivery_SkippingAhead_IsAccepted()
    {
        var message = QueuedReply();

        message.UpdateDelivery(DeliveryStatus.Read, Now);

        Assert.Equal(DeliveryStatus.Read, message.DeliveryStatus);
    }

    [Theory]
    [InlineData(DeliveryStatus.Read, DeliveryStatus.Delivered)]
    [InlineData(DeliveryStatus.Read, DeliveryStatus.Sent)]
    [InlineData(DeliveryStatus.Delivered, DeliveryStatus.Sent)]
    [InlineData(DeliveryStatus.Delivered, DeliveryStatus.Queued)]
    [InlineData(DeliveryStatus.Sent, DeliveryStatus.Queued)]
    [InlineData(DeliveryStatus.Sent, DeliveryStatus.Sent)]
    public void UpdateDelivery_BackwardsOrRepeated_IsIgnoredWithoutError(DeliveryStatus reached, DeliveryStatus late)
    {
        var message = QueuedReply();
        message.UpdateDelivery(reached, Now.AddMinutes(1));

        var result = message.UpdateDelivery(late, Now.AddMinutes(2));

        Assert.True(result.IsSuccess);
        Assert.Equal(reached, message.DeliveryStatus);
        Assert.Equal(Now.AddMinutes(1), message.DeliveryUpdatedAt);
    }

    [Theory]
    [InlineData(DeliveryStatus.Queued)]
    [InlineData(DeliveryStatus.Sent)]
    [InlineData(DeliveryStatus.Delivered)]
    [InlineData(DeliveryStatus.Read)]
    public void UpdateDelivery_FailedFromAnyStatus_IsRecordedWithError(DeliveryStatus reached)
    {
        var message = QueuedReply();
        message.UpdateDelivery(reached, Now.AddMinutes(1));

        var result = message.UpdateDelivery(DeliveryStatus.Failed, Now.AddMinutes(2), "mailbox full");

        Assert.True(result.IsSuccess);
        Assert.Equal(DeliveryStatus.Failed, message.DeliveryStatus);
        Assert.Equal("mailbox full", message.DeliveryError);
        Assert.Equal(Now.AddMinutes(2), message.DeliveryUpdatedAt);
    }

    [Fact]
    public void UpdateDelivery_SentAfterFailed_RetrySucceedsAndClearsError()
    {
        var message = QueuedReply();
        message.UpdateDelivery(DeliveryStatus.Failed, Now.AddMinutes(1), "timeout");

        var result = message.UpdateDelivery(DeliveryStatus.Sent, Now.AddMinutes(2));

        Assert.True(result.IsSuccess);
        Assert.Equal(DeliveryStatus.Sent, message.DeliveryStatus);
        Assert.Null(message.DeliveryError);
        Assert.Equal(Now.AddMinutes(2), message.DeliveryUpdatedAt);
    }

    [Fact]
    public void UpdateDelivery_NoneOnQueuedReply_IsIgnored()
    {
        var message = QueuedReply();

        message.UpdateDelivery(DeliveryStatus.None, Now);

        Assert.Equal(DeliveryStatus.Queued, message.DeliveryStatus);
    }

    [Fact]
    public void UpdateDelivery_NoneAfterFailed_KeepsAnOutboundDeliveryStatus()
    {
        var message = QueuedReply();
        message.UpdateDelivery(DeliveryStatus.Failed, Now, "boom");

        message.UpdateDelivery(DeliveryStatus.None, Now.AddMinutes(1));

        Assert.NotEqual(DeliveryStatus.None, message.DeliveryStatus);
        Assert.True(message.UpdateDelivery(DeliveryStatus.Sent, Now.AddMinutes(2)).IsSuccess);
    }

    private static Message QueuedReply()
    {
        var message = NewConversation().ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: false, null, Now).Value;
        Assert.Equal(DeliveryStatus.Queued, message.DeliveryStatus);
        return message;
    }
}
