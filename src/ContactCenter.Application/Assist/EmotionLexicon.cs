namespace ContactCenter.Application.Assist;

/// <summary>
/// The hand-made part of the emotion lexicon: customer-service phrases in English and Chinese that the AFINN list does not
/// rate (or rates for another domain), with an upset weight (positive = more upset, negative = calmer/pleased).
/// Tuned on the small dev set in tests (EmotionDevSet), never on the labelled test set.
/// </summary>
internal static class EmotionLexicon
{
    /// <summary>AFINN words whose valence means something else in support conversations (0 = neutral here).</summary>
    public static readonly IReadOnlyDictionary<string, int> AfinnOverrides = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["charged"] = 0, ["charges"] = 0, ["charge"] = 0, ["no"] = 0, ["cancel"] = 0, ["cancelled"] = 0, ["canceled"] = 0,
        ["problem"] = -1, ["problems"] = -1, ["issue"] = 0, ["issues"] = 0, ["error"] = -1, ["errors"] = -1, ["help"] = 0, ["please"] = 0,
        ["support"] = 0, ["like"] = 0, ["want"] = 0, ["wanted"] = 0, ["lost"] = -1, ["stop"] = 0, ["block"] = 0, ["blocked"] = -1,
        ["pay"] = 0, ["fine"] = 0, ["question"] = 0, ["questions"] = 0, ["sorry"] = 0, ["interested"] = 0, ["demand"] = -2,
        ["kind"] = 0, ["clear"] = 0, ["ok"] = 0, ["okay"] = 0, ["yes"] = 0, ["true"] = 0, ["hard"] = 0, ["limited"] = 0,
        ["delay"] = -1, ["delayed"] = -1, ["miss"] = 0, ["missing"] = -1, ["broke"] = -2, ["broken"] = -2, ["wrong"] = -1,
    };

    /// <summary>English words that flip the valence of the next few words ("not happy", "never works").</summary>
    public static readonly IReadOnlySet<string> Negations = new HashSet<string>(StringComparer.Ordinal)
    {
        "not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "wasn't", "wasnt", "can't", "cant",
        "cannot", "won't", "wont", "haven't", "havent", "hasn't", "hasnt", "aren't", "arent", "couldn't", "couldnt", "nothing", "without", "nor",
    };

    /// <summary>English phrases: frustration (waiting, repeating, nobody answers), anger and escalation signals, sarcasm, calm requests.</summary>
    public static readonly (string Phrase, double Weight, bool Escalation)[] English =
    [
        // Waiting, repetition, being ignored.
        ("still not", 2.5, false), ("still no", 2.5, false), ("still waiting", 3, false), ("still hasn't", 2.5, false), ("still haven't", 2.5, false),
        ("still broken", 3, false), ("still doesn't", 2.5, false), ("still don't", 2.5, false), ("still can't", 2.5, false), ("still isn't", 2.5, false),
        ("again", 1, false), ("yet again", 2, false), ("once again", 1.5, false), ("third time", 3, false), ("second time", 2, false), ("fourth time", 3.5, false),
        ("how many times", 3.5, false), ("every time", 1.5, false), ("keeps happening", 2.5, false), ("keeps crashing", 2.5, false), ("keep getting", 1.5, false),
        ("no response", 3, false), ("no reply", 3, false), ("no answer", 2.5, false), ("nobody", 2, false), ("no one", 2, false), ("noone", 2, false),
        ("hasn't replied", 2.5, false), ("never replied", 3, false), ("never heard back", 3, false), ("ignored", 2.5, false), ("ignoring", 2.5, false),
        ("days ago", 1.5, false), ("weeks ago", 2, false), ("for days", 2, false), ("for weeks", 2.5, false), ("for hours", 2, false), ("over a week", 2, false),
        ("been waiting", 2.5, false), ("waiting for", 1, false), ("on hold", 1.5, false), ("already told", 2.5, false), ("already explained", 2.5, false),
        ("already tried", 1.5, false), ("already sent", 1, false), ("i've tried everything", 2.5, false), ("tried everything", 2, false),
        ("fed up", 4, false), ("sick of", 4, false), ("tired of", 3, false), ("had enough", 4, false), ("waste of time", 4, false), ("wasted", 2, false),
        ("frustrating", 3, false), ("frustrated", 3, false), ("annoying", 3, false), ("annoyed", 3, false), ("not acceptable", 4, false), ("unacceptable", 4, false),
        ("useless", 3, false), ("ridiculous", 3, false), ("absurd", 3, false), ("pathetic", 4, false), ("joke", 2, false), ("seriously", 1.5, false),
        ("doesn't work", 2, false), ("does not work", 2, false), ("not working", 2, false), ("still not working", 1, false), ("stopped working", 2, false),
        ("nothing works", 3, false), ("makes no sense", 2.5, false), ("no idea why", 1.5, false), ("supposed to", 1.5, false), ("promised", 2, false),
        ("disappointed", 3, false), ("disappointing", 3, false), ("let down", 3, false), ("not happy", 3, false), ("unhappy", 3, false),
        ("what is going on", 2.5, false), ("what's going on", 2.5, false), ("why is it so hard", 3.5, false), ("why does it", 1, false), ("why do i have to", 3, false),
        ("at this point", 2, false), ("not okay", 3, false), ("not ok", 3, false), ("not fixed", 2.5, false), ("not solved", 2.5, false),
        ("not resolved", 2.5, false), ("no explanation", 2.5, false), ("expected better", 3, false), ("in circles", 2.5, false), ("what else", 2, false),
        ("haven't heard", 2.5, false), ("heard nothing", 2.5, false), ("keeps failing", 2.5, false), ("keep failing", 2.5, false), ("different answer", 2, false),
        ("not impressed", 2.5, false), ("i'm done", 3.5, true), ("i am done", 3.5, true), ("don't you dare", 5, true), ("unbelievable", 3.5, true),
        ("ashamed", 3.5, true), ("theft", 4.5, true), ("robbery", 4.5, true), ("do not put me", 3, true), ("do not transfer", 3, true), ("stop sending", 2, false),
        ("every single", 2, false), ("i don't want another", 2.5, false), ("without any", 1.5, false), ("didn't help", 2.5, false), ("doesn't help", 2.5, false), ("did not help", 2.5, false), ("at all", 1, false),
        ("kidding me", 3.5, true), ("are you kidding", 3.5, true), ("still nothing", 3, false), ("come on", 2, false), ("really?", 1.5, false), ("honestly", 1, false), ("last chance", 3, false),

        // Anger and escalation signals.
        ("manager", 3.5, true), ("supervisor", 3.5, true), ("speak to someone in charge", 4, true), ("complaint", 3.5, true), ("complain", 3, true),
        ("lawyer", 5, true), ("legal action", 5, true), ("sue", 5, true), ("court", 3, true), ("report you", 5, true), ("consumer protection", 5, true),
        ("better business bureau", 5, true), ("bbb", 4, true), ("chargeback", 4.5, true), ("dispute the charge", 4, true), ("trading standards", 5, true),
        ("cancel my account", 3.5, true), ("cancel my subscription", 2.5, true), ("closing my account", 3.5, true), ("refund now", 5, true),
        ("refund immediately", 5, true), ("i want my money back", 4.5, true), ("money back", 2.5, true), ("never again", 4, true), ("never buying", 4, true),
        ("never ordering", 4, true), ("leaving a review", 3, true), ("one star", 3.5, true), ("1 star", 3.5, true), ("bad review", 3.5, true), ("social media", 2.5, true),
        ("twitter", 2, true), ("worst", 4, true), ("scam", 5, true), ("scammers", 5, true), ("rip off", 5, true), ("ripoff", 5, true), ("thieves", 5, true),
        ("stealing", 4, true), ("disgusting", 5, true), ("disgrace", 5, true), ("incompetent", 5, true), ("clowns", 4, true), ("idiots", 5, true),
        ("the hell", 4, true), ("wtf", 5, true), ("bullshit", 5, true), ("bs", 2, true), ("screw you", 5, true), ("furious", 5, true), ("livid", 5, true),
        ("outraged", 5, true), ("angry", 3.5, true), ("fix it now", 4, true), ("right now", 2, false), ("immediately", 1.5, false), ("asap", 1.5, false),

        // Sarcasm: praise that is not.
        ("thanks for nothing", 6, true), ("oh great", 4, false), ("just great", 4, false), ("great job", 0.5, false), ("love how", 4, false), ("love that", 1, false),
        ("love waiting", 6, false), ("wonderful service", 0, false), ("what a surprise", 4, false), ("surprise surprise", 4, false), ("brilliant", 0, false),
        ("yeah right", 4, false), ("sure, because", 3, false), ("good job", 0, false), ("so helpful", 1, false), ("really helpful", 0, false),
        ("another", 0.5, false), ("great, another", 5, false), ("great, now", 4, false), ("fantastic, now", 4, false), ("perfect, now", 3, false), ("wow", 1, false),

        // Calm, polite requests.
        ("could you", -1, false), ("would you", -1, false), ("can you please", -0.5, false), ("just wondering", -2, false), ("quick question", -2, false),
        ("no rush", -3, false), ("no worries", -3, false), ("no problem", -3, false), ("not urgent", -3, false), ("when you get a chance", -3, false),
        ("have a nice day", -2, false), ("have a good day", -2, false), ("thank you", -1, false), ("thanks", -1, false), ("appreciate", -1, false),
        ("how do i", -1.5, false), ("how can i", -1.5, false), ("is it possible", -1.5, false), ("i would like to", -1, false), ("i'd like to", -1, false),
        ("do you", -0.5, false), ("where can i", -1.5, false), ("what is the", -0.5, false),
    ];

    /// <summary>Chinese terms, matched longest first (so 不满意 wins over 满意, 麻烦您 over 烦).</summary>
    public static readonly (string Term, double Weight, bool Escalation)[] Chinese =
    [
        // Escalation signals.
        ("投诉", 5, true), ("受够", 5, true), ("开玩笑", 3.5, true), ("别再", 3, true), ("不要再", 3, true), ("可耻", 5, true), ("偷", 4, true), ("抢劫", 5, true),
        ("做主", 2.5, true), ("明明", 2.5, false), ("没有任何", 2.5, false), ("三天两头", 3, false), ("太累", 2.5, false), ("看不懂", 2, false), ("打不开", 2, false),
        ("没法用", 2.5, false), ("有人吗", 2.5, false), ("没有一个人", 3.5, false), ("不应该", 2.5, false), ("还要补", 2, false), ("还要什么", 2.5, false),
        ("还是错", 3, false), ("不解决", 2.5, false), ("现在就", 2, false), ("一点帮助都没有", 4, false), ("都不一样", 2, false), ("有新问题", 2, false), ("给我个说法", 4, true), ("说法", 2, false), ("叫你们", 2, true), ("必须", 1.5, false), ("经理", 3.5, true), ("主管", 3.5, true), ("领导", 3, true), ("负责人", 3, true), ("差评", 5, true), ("律师", 5, true),
        ("起诉", 5, true), ("法院", 4, true), ("消协", 5, true), ("消费者协会", 5, true), ("12315", 5, true), ("工商", 4, true), ("曝光", 5, true),
        ("媒体", 3, true), ("微博", 2.5, true), ("退钱", 4, true), ("马上退款", 5, true), ("立刻退款", 5, true), ("赶紧退款", 5, true), ("必须退款", 5, true),
        ("全额退款", 2.5, true), ("赔偿", 3, true), ("骗子", 6, true), ("骗钱", 6, true), ("诈骗", 6, true), ("黑店", 6, true), ("垃圾", 5, true),
        ("滚", 5, true), ("有病", 5, true), ("脑子", 3, true), ("什么鬼", 4, true), ("搞什么", 4, true), ("搞什么鬼", 5, true), ("他妈", 6, true), ("妈的", 6, true),
        ("气死", 5, true), ("生气", 4, true), ("愤怒", 5, true), ("火大", 5, true), ("忍无可忍", 6, true), ("太过分", 5, true), ("过分", 3.5, true),
        ("欺负", 4, true), ("再也不", 4, true), ("销户", 3, true), ("注销账号", 2.5, false), ("取消订阅", 1, false), ("最差", 5, true), ("最烂", 5, true),
        ("坑人", 5, true), ("坑爹", 5, true), ("骗", 3, true), ("恶心", 5, true), ("无耻", 6, true), ("流氓", 6, true), ("强盗", 6, true),

        // Frustration.
        ("还没", 2.5, false), ("还是没", 3, false), ("还是不", 3, false), ("还不", 2, false), ("怎么还", 3, false), ("到现在", 2.5, false), ("到底", 2.5, false),
        ("究竟", 2, false), ("一直", 1.5, false), ("又", 1, false), ("又是", 1.5, false), ("再次", 1, false), ("第三次", 3, false), ("第二次", 2, false),
        ("好几次", 3, false), ("多少次", 3.5, false), ("几次了", 3, false), ("等了", 2.5, false), ("好几天", 2.5, false), ("一个星期", 2, false), ("一周了", 2.5, false),
        ("几天了", 2.5, false), ("半天", 1.5, false), ("多久", 1.5, false), ("没人", 3, false), ("没有人", 3, false), ("没回复", 3, false), ("不回复", 3, false),
        ("没人理", 4, false), ("不理", 3, false), ("不回", 2.5, false), ("石沉大海", 4, false), ("敷衍", 4, false), ("推脱", 4, false), ("踢皮球", 4, false),
        ("推来推去", 4, false), ("解决不了", 3, false), ("没解决", 3, false), ("没有解决", 3, false), ("还是不行", 3, false), ("没用", 3, false), ("没有用", 3, false),
        ("失望", 4, false), ("很失望", 5, false), ("不满", 4, false), ("不满意", 4, false), ("无语", 4, false), ("郁闷", 3, false), ("崩溃", 4, false), ("抓狂", 5, false),
        ("受不了", 4, false), ("烦", 2.5, false), ("烦死", 5, false), ("糟糕", 3.5, false), ("糟透", 5, false), ("太差", 4, false), ("很差", 4, false), ("差劲", 4, false),
        ("太慢", 3, false), ("这么慢", 3.5, false), ("离谱", 4, false), ("不像话", 4, false), ("凭什么", 4, false), ("为什么又", 3, false), ("怎么回事", 2.5, false),
        ("怎么搞的", 3.5, false), ("什么情况", 2, false), ("耽误", 3, false), ("浪费", 3, false), ("白白", 2, false), ("着急", 2, false), ("急死", 4, false),
        ("赶紧", 2, false), ("立刻", 2, false), ("马上", 1, false), ("尽快", 0.5, false), ("坑", 3, false), ("破", 1.5, false), ("不靠谱", 4, false), ("靠谱吗", 2, false),
        ("说好的", 3, false), ("承诺", 1.5, false), ("答应", 1.5, false), ("根本", 2, false), ("完全没", 2.5, false), ("好吗", 1.5, false), ("行不行", 2.5, false),
        ("能不能", 1, false), ("难道", 2, false), ("竟然", 2, false), ("居然", 2.5, false), ("还要等", 3, false), ("不能用", 2, false), ("用不了", 2, false),
        ("故障", 1, false), ("错误", 1, false), ("失败", 1, false), ("不行", 1.5, false), ("不好用", 3, false), ("不好", 2, false), ("不开心", 3, false),
        ("不方便", 2, false), ("不合理", 3.5, false), ("不公平", 4, false), ("乱扣", 4, false), ("乱收费", 5, false), ("多扣", 3, false), ("扣了两次", 3, false),

        // Sarcasm.
        ("真是太好了", 2, false), ("真棒啊", 3, false), ("呵呵", 4, false), ("真行", 4, false), ("厉害了", 3, false), ("谢谢你们啊", 3, false), ("服了", 4, false),
        ("佩服", 2, false),

        // Calm, polite.
        ("麻烦您", -2, false), ("麻烦你", -2, false), ("麻烦", -1, false), ("请问", -2, false), ("您好", -1, false), ("你好", -0.5, false), ("谢谢", -1.5, false),
        ("感谢", -1.5, false), ("辛苦", -1.5, false), ("不着急", -4, false), ("不急", -4, false), ("没关系", -3, false), ("没问题", -3, false), ("满意", -2, false),
        ("不错", -2, false), ("很好", -2, false), ("太好了", -3, false), ("开心", -2, false), ("想问", -2, false), ("想了解", -2, false), ("咨询", -1.5, false),
        ("怎么", -0.5, false), ("如何", -1.5, false), ("是否", -1, false), ("可以吗", -1, false), ("吗？", -0.5, false), ("好的", -1.5, false), ("方便", -1, false),
    ];
}
