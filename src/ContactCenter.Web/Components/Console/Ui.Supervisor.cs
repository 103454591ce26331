namespace ContactCenter.Web.Components.Console;

/// <summary>The supervisor dashboard's words in Simplified Chinese (English is the key).</summary>
public static partial class Ui
{
    private static readonly Dictionary<string, string> SupervisorChinese = new(StringComparer.Ordinal)
    {
        ["{0} in {1} (goal {2}%)"] = "{1} 内响应 {0}（目标 {2}%）",
        ["last {0} h"] = "最近 {0} 小时",
        ["Chat"] = "在线聊天",
        ["Email & messaging"] = "邮件和消息",
        ["Abandoned"] = "放弃",
        ["No conversations in this window yet."] = "此时间段内暂无会话。",
        ["Waiting now"] = "正在排队",
        ["Waiting"] = "等待时长",
        ["Nobody is waiting."] = "暂无排队的客户。",
        ["Set state"] = "设置状态",
        ["Reassign"] = "重新分配",
        ["Assign to agent"] = "分配给坐席",
        ["Move to team queue"] = "移至团队队列",
        ["Reassigned."] = "已重新分配。",
        ["Reassigned from the supervisor dashboard"] = "由主管在监控面板重新分配",
        ["Set by a supervisor"] = "由主管设置",
        ["Goal"] = "目标",
        ["Service level by queue (%)"] = "各队列服务水平（%）",
        ["Waiting and abandoned by queue"] = "各队列排队与放弃",
    };
}
