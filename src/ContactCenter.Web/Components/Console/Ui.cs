using System.Globalization;

namespace ContactCenter.Web.Components.Console;

/// <summary>
/// The console's words in English and Simplified Chinese. English text is the key; the UI culture
/// (cookie or browser language, see RequestLocalization) picks the language for the circuit.
/// </summary>
public static class Ui
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["Mine"] = "我的",
        ["Unassigned"] = "未分配",
        ["My teams"] = "我的团队",
        ["All"] = "全部",
        ["Nothing here right now."] = "暂时没有会话。",
        ["Pick a conversation on the left."] = "请在左侧选择一个会话。",
        ["Search name, subject or #number"] = "搜索姓名、主题或 #编号",
        ["Online"] = "在线",
        ["Away"] = "离开",
        ["Offline"] = "离线",
        ["Take it"] = "接手",
        ["Status"] = "状态",
        ["Priority"] = "优先级",
        ["Transfer"] = "转接",
        ["Private note"] = "内部备注",
        ["Send"] = "发送",
        ["Connection lost — reconnecting… Nothing you sent is lost."] = "连接已断开，正在重新连接…已发送的内容不会丢失。",
        ["Queued"] = "排队中",
        ["Sent"] = "已发送",
        ["Delivered"] = "已送达",
        ["Read"] = "已读",
        ["Failed"] = "发送失败",
        ["Not delivered:"] = "未送达：",
        ["Reply… (Ctrl+Enter to send)"] = "回复…（Ctrl+Enter 发送）",
        ["Private note (only your team sees it)…"] = "内部备注（仅团队可见）…",
        ["New conversation offered"] = "新会话待接收",
        ["Accept"] = "接受",
        ["Decline"] = "拒绝",
        ["seconds left"] = "秒后过期",
        ["is typing…"] = "正在输入…",
        ["Add tag"] = "添加标签",
        ["Transfer to agent"] = "转给坐席",
        ["Transfer to team"] = "转给团队",
        ["Note for the next person"] = "给接手同事的备注",
        ["Cancel"] = "取消",
        ["Keyboard shortcuts"] = "键盘快捷键",
        ["Next conversation"] = "下一个会话",
        ["Previous conversation"] = "上一个会话",
        ["Focus the reply box"] = "聚焦回复框",
        ["Toggle private note"] = "切换内部备注",
        ["Resolve the conversation"] = "解决会话",
        ["Accept the first offer"] = "接受第一个待接收会话",
        ["Decline the first offer"] = "拒绝第一个待接收会话",
        ["Take the open conversation"] = "接手当前会话",
        ["Search conversations"] = "搜索会话",
        ["Show this help"] = "显示帮助",
        ["Close"] = "关闭",
        ["Conversations"] = "会话",
        ["Supervisor"] = "主管",
        ["Sign out"] = "退出",
        ["Live operations"] = "实时运营",
        ["waiting"] = "排队中",
        ["longest wait"] = "最长等待",
        ["open"] = "处理中",
        ["agents online"] = "在线坐席",
        ["Agents"] = "坐席",
        ["Conversations by status"] = "会话状态分布",
        ["Knowledge"] = "知识库",
        ["Search the knowledge base"] = "搜索知识库",
        ["Insert link"] = "插入链接",
        ["No articles found."] = "没有找到文章。",
        ["Dark mode"] = "深色模式",
        ["Active by channel"] = "各渠道进行中",
        ["Merge"] = "合并",
        ["Merged"] = "已合并",
        ["Merge into this"] = "合并到此会话",
        ["Merge this conversation into another one of the same contact; it closes and its messages move over."] = "将此会话合并到同一联系人的另一个会话；此会话将关闭，其消息并入目标会话。",
        ["No other open conversations of this contact."] = "该联系人没有其他未关闭的会话。",
        ["First response"] = "首次响应",
        ["Next response"] = "下次响应",
        ["Resolution"] = "解决",
        ["overdue"] = "已超时",
        ["paused"] = "已暂停",
        ["SLA at risk"] = "SLA 即将超时",
        ["SLA breached"] = "SLA 已超时",
        ["Nothing at risk."] = "暂无即将超时的会话。",
        ["Nothing breached."] = "暂无超时的会话。",
    };

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string T(string english) => IsChinese && Chinese.TryGetValue(english, out var zh) ? zh : english;

    /// <summary>The knowledge-base locale matching the UI.</summary>
    public static string KnowledgeLocale => IsChinese ? "zh-CN" : "en";
}
