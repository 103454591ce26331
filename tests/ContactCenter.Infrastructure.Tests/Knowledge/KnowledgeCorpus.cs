using ContactCenter.Application.Common;
using ContactCenter.Application.Knowledge;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>A small help center in English and Chinese, parsed and rendered by the real parser.</summary>
internal static class KnowledgeCorpus
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["en/account/reset-password.md"] = """
            ---
            title: Reset your password
            slug: reset-password
            category: account
            tags: [password, sign-in, account]
            locale: en
            audience: public
            updated: 2025-03-01
            ---
            # Reset your password

            Forgot your password? Select **Forgot password** on the sign-in page and enter your email address.
            We send you a reset link that expires after 30 minutes. Open the link and choose a new password.
            """,
        ["en/billing/download-invoice.md"] = """
            ---
            title: Download an invoice
            slug: download-invoice
            category: billing
            tags: [invoice, billing, pdf]
            locale: en
            audience: public
            updated: 2025-02-10
            ---
            Every order has an invoice. Go to **Billing › Invoices** and select *Download PDF* next to the order.
            """,
        ["en/billing/payment-methods.md"] = """
            ---
            title: Change your payment method
            slug: payment-methods
            category: billing
            tags: [payment, card]
            locale: en
            audience: public
            updated: 2025-02-11
            ---
            Add a new card under **Billing › Payment methods** and make it the default. Cards are charged when the order ships.
            """,
        ["en/policies/warranty-coverage.md"] = """
            ---
            title: Warranty coverage
            slug: warranty-coverage
            category: policies
            tags: [guarantee]
            locale: en
            audience: public
            updated: 2025-01-05
            ---
            Every product is covered for two years against manufacturing defects.
            """,
        ["en/policies/product-care.md"] = """
            ---
            title: Caring for your products
            slug: product-care
            category: policies
            tags: [cleaning]
            locale: en
            audience: public
            updated: 2025-01-06
            ---
            Clean leather with a soft cloth. Misuse can void the warranty: the warranty does not cover water damage,
            and the warranty does not cover wear and tear.
            """,
        ["en/returns/return-an-item.md"] = """
            ---
            title: Return an item
            slug: return-an-item
            category: returns
            tags: [returns, refund, exchange]
            locale: en
            audience: public
            updated: 2025-03-05
            ---
            You can return most items within 30 days of delivery. Print the prepaid label, pack the item and send it back;
            we refund the original payment method within 5 days of receiving the parcel. Shoes that do not fit can be exchanged.
            """,
        ["en/shipping/track-order.md"] = """
            ---
            title: Track your order
            slug: track-order
            category: shipping
            tags: [shipping, tracking, delivery]
            locale: en
            audience: public
            updated: 2025-03-02
            ---
            Orders ship in 1 < 2 days & arrive within a week. The tracking number is in your shipping confirmation email.
            """,
        ["en/agent-howto/escalate-refund.md"] = """
            ---
            title: Escalate a large refund
            slug: escalate-refund
            category: agent-howto
            tags: [refund, escalation, supervisor]
            locale: en
            audience: internal
            updated: 2025-03-06
            ---
            Refunds over 500 dollars need a supervisor: assign the conversation to the Billing team and add an internal note.
            """,
        ["zh-CN/returns/return-an-item.md"] = """
            ---
            title: 如何退货
            slug: return-an-item
            category: returns
            tags: [退货, 退款]
            locale: zh-CN
            audience: public
            updated: 2025-03-05
            ---
            收到商品后三十天内可以申请退货。请打印预付运单，把商品寄回给我们；收到包裹后五个工作日内原路退款。
            """,
        ["zh-CN/account/reset-password.md"] = """
            ---
            title: 重置密码
            slug: reset-password
            category: account
            tags: [密码, 登录]
            locale: zh-CN
            audience: public
            updated: 2025-03-01
            ---
            忘记密码时，请在登录页面点击“忘记密码”，输入您的电子邮箱。我们会发送一个重置链接，三十分钟内有效。
            """,
        ["zh-CN/shipping/track-order.md"] = """
            ---
            title: 查询订单物流
            slug: track-order
            category: shipping
            tags: [物流, 快递]
            locale: zh-CN
            audience: public
            updated: 2025-03-02
            ---
            订单通常在两天内发货。物流单号在发货确认邮件中，您可以随时查询包裹的位置。
            """,
    };

    private static readonly KnowledgeArticleParser Parser = new(new HtmlCleaner());

    public static IReadOnlyList<KnowledgeArticle> Articles() => Files.Select(f => Parse(f.Key, f.Value)).ToList();

    public static KnowledgeArticle Parse(string path, string text)
    {
        var (article, errors) = Parser.ParseAndRender(text, path);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return article!;
    }

    public static KnowledgeArticle Article(string path) => Parse(path, Files[path]);
}

/// <summary>A temp folder deleted at the end of the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cc-tests", "kb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
