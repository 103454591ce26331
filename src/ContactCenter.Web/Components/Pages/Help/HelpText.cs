using System.Globalization;
using ContactCenter.Application.Knowledge;

namespace ContactCenter.Web.Components.Pages.Help;

/// <summary>The help center's words in English and Chinese, and its URLs.</summary>
public static class HelpText
{
    private static readonly Dictionary<string, (string En, string Zh)> Words = new()
    {
        ["brand"] = ("Help Center", "帮助中心"),
        ["hero"] = ("How can we help?", "我们能帮您什么？"),
        ["placeholder"] = ("Search articles, e.g. reset password", "搜索文章，例如：退货"),
        ["search"] = ("Search", "搜索"),
        ["categories"] = ("Browse by topic", "按主题浏览"),
        ["articles"] = ("articles", "篇文章"),
        ["results-for"] = ("Results for", "搜索结果："),
        ["no-results"] = ("No articles match. Try other words, or contact us.", "没有找到相关文章。请换个说法，或联系我们。"),
        ["empty-query"] = ("Type what you are looking for.", "请输入要搜索的内容。"),
        ["updated"] = ("Updated", "更新于"),
        ["related"] = ("Related articles", "相关文章"),
        ["not-found"] = ("We could not find that page.", "找不到该页面。"),
        ["back"] = ("All topics", "全部主题"),
        ["internal"] = ("Internal: staff only", "内部文章：仅限员工"),
        ["empty"] = ("No articles yet.", "暂无文章。"),
        ["language"] = ("Language", "语言"),
    };

    private static readonly Dictionary<string, (string En, string Zh)> Categories = new()
    {
        ["account"] = ("Account", "账户"),
        ["accounts"] = ("Accounts", "账户"),
        ["billing"] = ("Billing & payments", "账单与付款"),
        ["payments"] = ("Payments", "付款"),
        ["shipping"] = ("Shipping & delivery", "配送"),
        ["delivery"] = ("Delivery", "配送"),
        ["orders"] = ("Orders", "订单"),
        ["returns"] = ("Returns & refunds", "退货与退款"),
        ["refunds"] = ("Refunds", "退款"),
        ["troubleshooting"] = ("Troubleshooting", "故障排除"),
        ["policies"] = ("Policies", "政策"),
        ["privacy"] = ("Privacy", "隐私"),
        ["security"] = ("Security", "安全"),
        ["products"] = ("Products", "产品"),
        ["general"] = ("General", "常见问题"),
        ["agent-howto"] = ("Agent how-tos", "客服操作指南"),
        ["internal"] = ("Internal", "内部"),
    };

    public static string T(string locale, string key) =>
        Words.TryGetValue(key, out var w) ? (IsChinese(locale) ? w.Zh : w.En) : key;

    public static string CategoryName(string locale, string category)
    {
        if (Categories.TryGetValue(category, out var name))
        {
            return IsChinese(locale) ? name.Zh : name.En;
        }

        var words = category.Replace('-', ' ');
        return words.Length == 0 ? category : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }

    public static bool IsChinese(string locale) => locale == KnowledgeLocales.ChineseSimplified;

    public static string LanguageName(string locale) => IsChinese(locale) ? "简体中文" : "English";

    public static string Home(string locale) => $"/help/{locale}";

    public static string CategoryUrl(string locale, string category) => $"/help/{locale}/{Uri.EscapeDataString(category)}";

    public static string ArticleUrl(string locale, string category, string slug) => $"/help/{locale}/{Uri.EscapeDataString(category)}/{Uri.EscapeDataString(slug)}";

    public static string SearchUrl(string locale, string query) => $"/help/search?locale={locale}&q={Uri.EscapeDataString(query)}";

    public static string Date(string locale, DateOnly date) =>
        IsChinese(locale) ? date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
