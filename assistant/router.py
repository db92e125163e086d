"""The offline intent router: a message (Chinese or English) → one tool and its arguments.

Deterministic keyword evidence per intent, adjusted by whether a customer is named (or referred
to with a pronoun after one was mentioned), then argument filling with the shared parsers
(`assistant.dates` over the insights date parser, the customer gazetteer).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from assistant.dates import resolve_due, strip_dates
from assistant.gazetteer import Gazetteer, Mention
from assistant.intent_model import IntentModel, mask_names
from assistant.types import ConversationState, Intent, Lang

_CJK = re.compile(r"[\u4e00-\u9fff]")


def detect_lang(text: str) -> Lang:
    return "zh" if _CJK.search(text) else "en"


def _rx(*parts: str) -> re.Pattern[str]:
    """ASCII word boundaries: in "todo给我列下" or "Acme的单子" a Chinese character ends the English word."""
    return re.compile("|".join(parts), re.I | re.A)


RESET = _rx(r"^\s*/(reset|new|clear)\s*$", r"^\s*(?:(?:重新开始|重置(对话)?|(清空|清除)(一下)?(对话|上下文|记录)?|新对话|开始新对话|从头(开始|来))\s*[，,、。.!！]?\s*)+$",
            r"^\s*(start over|reset|new (chat|conversation)|(clear|reset) (the |our |this )?(chat|conversation|context))\s*(pls|please)?\s*[.!]?\s*$",
            r"^\s*(let'?s\s+)?(start over|start (again|fresh)|begin again)\b", r"\bforget (everything|all (of )?that|what we (talked|discussed|said))",
            r"(忘(掉|了)|不管)(之前|刚才|前面|上面)(说|聊|讲)?的|^\s*(重新开始|从头(开始|来))",
            r"(刚才|之前|前面|上面)(说|聊|讲)的?(都)?不算|重新来(吧|过)?\s*[。.!！]?\s*$|^\s*重来(吧|一下)?\s*[。.!！]?\s*$",
            r"^\s*(清空|清除|重置)(一下)?(对话|上下文|聊天记录|会话)(?![的里中])")
GREETING = _rx(r"^\s*(你好|您好|嗨|哈喽|在吗|hi|hello|hey)\s*[!！。.~]*\s*$")

# (intent, pattern, weight): evidence for each intent
RULES: list[tuple[str, re.Pattern[str], float]] = [
    ("help", _rx(r"你(都|还)?(能|会|可以)(帮我)?(干|做|办)(些|点)?(什么|啥|哪些)|你能做什么|你(都)?会(些)?什么|会做什么|(能|可以)帮(我)?(做|干|办)(些|点)?(哪些|什么|啥)|(咋|怎么)用|(有)?(啥|什么)功能|能干什么|能做哪些|怎么用|如何使用|使用说明|帮助|有什么功能|功能列表",
                 r"^\s*help\s*[?？!]*$", r"what can you do", r"how (do i|to) use", r"\bcommands\b"), 6),
    ("complete_task", _rx(r"标记.{0,6}完成|标为完成|(已经|已)(做|弄|搞|办|处理)?完(成|了)?|做完了|搞定了|完成了|办完了|勾掉|(任务|待办|todo).{0,3}(关掉|关了|关闭|删掉)|(关掉|关闭)(这个|那个)?(任务|待办)",
                          r"\bmark\b.*\b(done|complete|completed|finished)\b", r"\b(task|todo)\b.*\b(is )?(done|finished|completed)\b",
                          r"\bcomplete (the|my|that) .*task", r"\bclose (the|that|my) task",
                          r"(任务|待办|todo)\s*.{0,6}\b(done|finished|completed)\b", r"\bdone with\b.{0,40}\b(task|todo)\b"), 6),
    ("log_note", _rx(r"^\s*(记一下|记下|记录一下|记录下|记一笔|备注一下|备注|拜访记录|拜访小结|跟进记录|会议纪要|纪要)\s*[:：，,]?",
                     r"(这边|那边|这家|那家)?(记一笔|记录下)\s*[:：，,]",
                     r"(加|添加|写|记|留)(个|条|一条|一个|一下|下)?(备注|笔记|跟进记录)", r"[，,。；;]\s*(记一下|记下|记录一下|备注一下)\s*[:：]", r"^\s*(note|memo)\s*(on|for|about)?\b",
                     r"\blog (a )?(note|visit|call)\b", r"\badd (a )?note\b", r"\bvisit report\b"), 7),
    ("create_task", _rx(r"提醒(下|一下)?我|提醒一下|记得|别忘了|(建|创建|新建|添加|加|设|记)(一?个|一下)?(任务|待办|提醒|todo|to-?do)",
                        r"(待办|todo|to-?do)[:：]", r"帮我记上|记到(日程|日历|待办)",
                        r"\bremind me\b", r"\b(create|add|new|set)( a| an)? (task|todo|to-do|reminder)\b", r"\btodo:",
                        r"\b(need|want|make|put|schedule|give me)\b.{0,10}\b(task|todo|to-do|reminder)\b"), 5),
    ("daily_brief", _rx(r"简报|晨报|日报|概览|(今日|今天|当天|每日)的?(概况|总结|要点|重点|汇总|小结|摘要)|早上好|早安|需要关注|要注意什么|今天.*重点",
                        r"\bbrief(ing)?\b", r"\bmorning (summary|update|digest)\b", r"\bdaily (summary|digest|update)\b",
                        r"\bsummary of (my|the) day\b", r"\bwhat should i focus on\b", r"\bmy day\b"), 5),
    ("list_tasks", _rx(r"待办|任务|要做(什么|的事|啥)?|做些什么|(哪些|什么|啥)(事|活)|活(儿)?没(干|做|办)|还剩(哪些|什么|啥|多少)|没(干|做|办)完|还有啥|跟进哪些|需要跟进|要跟进的事|日程",
                       r"\bto-?dos?\b", r"\btasks?\b", r"\boverdue\b", r"\bon my plate\b", r"\bwhat'?s (left|pending|due)\b", r"\bmy list\b", r"\bmissed\b", r"\bwhat do i (have|need) to do\b", r"\bagenda\b"), 3),
    ("list_my_opportunities", _rx(r"我的(所有|全部)?(商机|单子|项目|订单机会)|我的\s*pipeline|(在跟|跟着|跟进着|在做|负责)的(所有|全部)?(单子|商机|项目)|我的\s*(opportunities|opps|deals)\b|名下的?(单子|商机|项目)|手(上|里|头)(还有)?.{0,6}(单子|商机|项目)",
                                  r"商机列表|跟进中的(商机|单子)",
                                  r"\bmy (open )?(deals|opportunities|pipeline)\b", r"\b(open|active)\b\s*的?\s*(deals|opportunities|opps)\b",
                                  r"\bshow (me )?my pipeline\b", r"\blist (my|all) (deals|opportunities)\b",
                                  r"\bdeals? (am i|i'm|i am) working on\b", r"\bdeals?\b.{0,12}\b(do )?i (own|have|run|manage)\b", r"\bworking on\b.{0,20}\bdeals\b"), 4),
    ("search_calls", _rx(r"通话|电话录音|录音|电话里|电话中|沟通记录|会议录音|聊天记录",
                         r"\bcalls?\b(?! back).{0,30}\b(mention|mentioned|about|said|say|discuss|discussed|talk|talked|brought up|bring up|raised|came up)",
                         r"\bcalls?\s*(里|中|里面)",
                         r"\bsearch (the )?calls\b", r"\bin (the |our |my )?calls\b", r"\bwhich calls\b", r"\btranscripts?\b",
                         r"\brecordings?\b"), 5),
    ("score_opportunity", _rx(r"能(拿下|拿到|赢|成|签)|拿得下|赢面|赢单(概率|可能|几率|机会)|成单(概率|可能)|胜算|把握|有戏|打(个)?分|评分",
                              r"风险(大|高|如何|怎么样|多大)|悬(不悬|吗|么|嘛)|(赢|拿|签)下来的?(概率|可能|几率|把握)|概率|几率|靠谱(吗|不|么|嘛)|成功率|几成|稳不稳|稳吗|有没有戏|能不能(成|签|拿下)",
                              r"\bgoing to (sign|close|win|buy)\b", r"\bwill (they|it) (sign|close|buy)\b",
                              r"\bchances?\b", r"\blikely\b", r"\blikelihood\b", r"\bprobability\b", r"\bodds\b",
                              r"\bscore\b", r"\bwin (it|this|that|the)\b", r"\bwinnable\b", r"\bat risk\b"), 5),
    ("get_opportunity", _rx(r"单子|商机|这单|那单|阶段|金额|预算|什么时候(签|成交|关单|落地)|预计.{0,6}(签|成交|关闭)|竞争对手|竞品|进展|进度",
                            r"(什么|啥)时候.{0,4}(签|成交|关单|落地|下单|定)", r"\bwhen\b.{0,30}\b(sign|close|buy|decide)\b",
                            r"\bdeal\b", r"\bopportunity\b", r"\bstage\b", r"\bamount\b", r"\bbudget\b", r"\bclose date\b",
                            r"\bexpected close\b", r"\bcompetitors?\b", r"\bstatus\b"), 3),
    ("get_account", _rx(r"客户信息|客户资料|公司信息|基本信息|联系人|哪个行业|什么行业|行业|哪个城市|在哪(里|儿)?[?？]?$|地址|谁负责|负责人|哪个销售|介绍一下|查一下|查查|看看",
                        r"\btell me about\b", r"\blook ?up\b", r"\binfo(rmation)? (on|about)\b", r"\bcontacts?\b",
                        r"\bwho owns\b", r"\bindustry\b", r"\baccount\b", r"\bdetails\b", r"\bprofile\b"), 3),
    ("search_accounts", _rx(r"(搜|找|查|列出|有哪些|哪些|所有).{0,12}客户|客户(列表|名单|有哪些|都有谁|都有哪些)",
                            r"\b(find|search|list|show)( me)?( all| my)? (accounts|customers|clients)\b", r"名字(里)?(带|含|包含|有)",
                            r"\b(accounts|customers|clients) (in|from|matching|named|called|like)\b"), 4),
    ("ask_metrics", _rx(r"回款|收款|应收|赢单率|转化率|成交额|业绩|完成率|销售额|营收|收入|排名|排行|同比|环比|漏斗|销售周期|覆盖率",
                        r"\brevenue\b", r"\bwin rate\b", r"\bconversion\b", r"\bquota\b", r"\battainment\b",
                        r"\bforecast\b", r"\bcoverage\b", r"\bbookings\b", r"\bsales cycle\b"), 4),
    ("ask_metrics", _rx(r"多少|几个|数量|总额|平均|占比|比例|率|成交|目标|趋势|每个月|每月|各(销售|区|团队|产品|个)|季度|本月|上月|上个月|今年|去年|周期",
                        r"\bhow (many|much)\b", r"\baverage\b", r"\bavg\b", r"\btotal\b", r"\brank(ing)?\b",
                        r"\bby (product|region|rep|team|month|quarter|stage)\b", r"\btarget\b", r"\btrend\b",
                        r"\blost to\b", r"\bquarter\b", r"\bthis year\b", r"\blast (month|year|week)\b", r"\bsales\b"), 1.5),
]

PRONOUN = _rx(r"它|他们|她们|他家|这家|那家|这个客户|那个客户|该客户|这单|那单|这个单子|那个单子|这个项目|那个项目|这个商机|该商机",
              r"\bit\b", r"\bthem\b", r"\bthey\b", r"\bthis (deal|account|customer|one)\b", r"\bthat (deal|account|customer|one)\b")
ACTION = _rx(r"发|打电话|回电|回(个|一下)?(邮件|电话|复|消息)|邮件|拜访|约|寄|准备|跟进|确认|更新|修改|改完|提交|签|催|安排|汇报|聊",
             r"\b(send|call|visit|meet|prepare|follow up|confirm|update|submit|check in|email)\b")
PAST = _rx(r"(拜访|见|聊|谈|沟通|开会|通话)(完|过)?了|刚(刚)?(拜访|见|聊|谈|开完|沟通)", r"\b(visited|met with|had a (call|meeting|chat))\b")
QUESTION = _rx(r"[?？]|吗|呢|哪些|什么|多少|怎么|如何|几", r"^\s*(what|which|how|who|when|where|is|are|do|does|can)\b")
WHEN = _rx(r"(什么|啥)时候|何时|哪天|几号", r"^\s*when\b", r"\bwhen (will|would|do|does|is|are|can|could)\b")
FOLLOW_ON = _rx(r"^\s*((行|好|好的|嗯|ok|okay)\s*[，,、]?\s*)?(那|那就|那么|然后)", r"^\s*((ok|okay|right|great)\s*,?\s*)?(then|and|also)\b")
BARE_ACTION = _rx(r"(跟进|回访|联系|拜访|催|问)(一下|下)\s*[。.!！]?\s*$", r"\b(follow up|check in|call them|ping them)\s*[.!]?\s*$")
NEEDS_ACCOUNT = {"get_account", "get_opportunity", "score_opportunity"}
TAKES_ACCOUNT = NEEDS_ACCOUNT | {"create_task", "log_note", "search_calls"}
MODEL_WEIGHT = 8.0  # a confident model (p ≈ 1) outweighs one keyword; the rules still decide most messages
MODEL_RESET = 0.5  # the model alone may start a new conversation only when it is this sure
MODEL_ALONE = 0.35  # with no keyword evidence at all, below this the message stays "unknown" (we ask back)


def _scores(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for intent, rx, weight in RULES:
        hits = len(rx.findall(text))
        if hits:
            scores[intent] = scores.get(intent, 0.0) + weight + 0.5 * (hits - 1)
    return scores


def _short_follow_up(msg: str, scores: dict[str, float]) -> bool:
    """'那预计什么时候签？' after a deal was discussed: short, about one deal, not a metrics question."""
    short = len(msg) <= 16 if detect_lang(msg) == "zh" else len(msg.split()) <= 7
    return short and any(k in scores for k in NEEDS_ACCOUNT) and scores.get("ask_metrics", 0.0) < 4

def _best(scores: dict[str, float]) -> tuple[str, float]:
    if not scores:
        return "unknown", 0.0
    name = max(scores, key=lambda k: scores[k])
    return name, scores[name]


def route(text: str, gazetteer: Gazetteer, today: date, state: ConversationState | None = None,
          model: IntentModel | None = None) -> Intent:
    """Map one message to an intent with its arguments. Never raises.

    With `model`, its intent probabilities are added to the rules' evidence (× MODEL_WEIGHT); the arguments
    are always filled by the rules' parsers."""
    state = state or ConversationState()
    msg = text.strip()
    lang = detect_lang(msg)
    if RESET.search(msg):
        return Intent(name="reset", lang=lang)
    if GREETING.search(msg):
        return Intent(name="greeting", lang=lang)
    mention = gazetteer.find(msg)
    learned = model.proba(mask_names(msg, gazetteer) if mention else msg) if model is not None else {}
    if learned and max(learned, key=learned.__getitem__) == "reset" and learned["reset"] > MODEL_RESET:
        return Intent(name="reset", lang=lang)
    pronoun = bool(PRONOUN.search(msg))
    scores = _scores(msg)
    account = mention.name if mention else None
    used_context = False
    if account is None and state.last_account and (pronoun or _short_follow_up(msg, scores)):
        account, used_context = state.last_account, True
        pronoun = True
    elif account is None and state.last_account and "create_task" in scores and (FOLLOW_ON.search(msg) or BARE_ACTION.search(msg)):
        account, used_context = state.last_account, True  # "那提醒我周一跟进一下": the customer just discussed
    elif account is None and state.last_account and _best(scores)[0] == "log_note":
        account, used_context = state.last_account, True  # "记一下：对方说下月初上会": a note about the customer just discussed
    if "complete_task" in scores and scores.get("ask_metrics", 0.0) >= 4 and QUESTION.search(msg):
        scores["complete_task"] -= 3  # "业绩完成了多少": a metric's progress, not a task being ticked off
    if WHEN.search(msg) and "score_opportunity" in scores:  # "when will they sign" asks for a date, not odds
        scores["score_opportunity"] -= 4
        scores["get_opportunity"] = scores.get("get_opportunity", 0.0) + 2
    if account is not None:
        for k in NEEDS_ACCOUNT:
            if k in scores:
                scores[k] += 2
        scores["get_account"] = scores.get("get_account", 0.0) + 1.5  # a bare customer name: look it up
        for k in ("search_accounts", "list_my_opportunities", "list_tasks", "daily_brief"):
            if k in scores:
                scores[k] -= 3
        if "ask_metrics" in scores and scores["ask_metrics"] < 4:
            scores["ask_metrics"] -= 2
        if ACTION.search(msg) and resolve_due(msg, today) and not QUESTION.search(msg) and not PAST.search(msg):
            scores["create_task"] = scores.get("create_task", 0.0) + 4.5
    else:
        asked_about_one = pronoun and any(k in scores for k in NEEDS_ACCOUNT)
        for k in NEEDS_ACCOUNT:
            if k in scores:
                scores[k] += 3 if asked_about_one else -3  # "它的预算": ask which customer, not a metric
    if learned and (scores or max(learned.values()) >= MODEL_ALONE):
        for k, p in learned.items():
            if k != "reset":
                scores[k] = scores.get(k, 0.0) + MODEL_WEIGHT * p
    name, best = _best(scores)
    if best <= 0:
        name = "unknown"
    args = _fill(name, msg, account, mention, today)
    return Intent(name=name, args=args, lang=lang, confidence=min(1.0, best / 6), used_context=used_context)


# --- arguments ---------------------------------------------------------------------------------------
_TASK_PREFIX = _rx(r"^(请|帮我|麻烦)?(提醒我|提醒一下|记得|别忘了)?(帮我)?((建|创建|新建|添加|加|设)(一?个)?(任务|待办|提醒|todo|to-?do))?\s*[:：，,]?\s*",)
_EN_TASK_PREFIX = _rx(r"^\s*(please\s+)?(remind me( to)?|(create|add|new|set)( a| an)? (task|todo|to-do|reminder)( to)?\s*[:,-]?|todo:"
                      r"|(i )?(need|want)( a| an)? (task|todo|to-do|reminder)( to)?\s*[:,-]?)\s*")
_EN_DATES = _rx(r"\b(next|this|on|by|for)\s+(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\s*:?", r"\b(tomorrow|today|tonight)\b",
                r"\bin\s+\S+\s+(days?|weeks?|months?)\b", r"\b(by|on|before)\s+[a-z]{3,9}\.?\s+\d{1,2}(st|nd|rd|th)?\b",
                r"\b(by|before|on)\s+\d{4}-\d{1,2}-\d{1,2}\b", r"\bend of (the )?(week|month)\b",
                r"\b(due\s+)?(a|an|\d+|one|two|three)\s+(days?|weeks?|months?)\s+(from|after)\s+(today|now|tomorrow)\b")
_CN_FILLER_TAIL = re.compile(r"(之前|以前|前)(?=[把给跟和去约])|^(之前|以前|前)")


def _task_title(msg: str, today: date, lang: Lang) -> str:
    if lang == "en":
        title = _EN_TASK_PREFIX.sub("", msg)
        title = _EN_DATES.sub("", title)
        return re.sub(r"\s{2,}", " ", title).strip(" ,.:;-") or msg
    title = strip_dates(msg, today)
    title = FOLLOW_ON.sub("", title.strip(), count=1)
    title = _TASK_PREFIX.sub("", title.strip())
    title = _CN_FILLER_TAIL.sub("", title)
    title = re.sub(r"^(上午|下午|晚上|中午|早上|下班前|上班后)", "", title)
    return title.strip(" ，,。:：") or msg


_NOTE_PREFIX = _rx(r"^\s*(记一下|记下|记录一下|记录下|记一笔|备注一下|备注|拜访记录|拜访小结|跟进记录|会议纪要|纪要)\s*[:：，,]?\s*",
                   r"^\s*(log (a )?(note|visit|call)|add (a )?note|note|memo|visit report)\s*((on|for|about|to)\s+[^:：]+)?\s*[:：,-]\s*")
_CALL_FILLER = _rx(r"客户|在|的|电话里|电话中|电话录音里?|通话记录中?|通话里?|录音里?|里|中|有没有|哪些|哪个|(提到|提及|说到|谈到|聊到)(过|了)?|说过|讲过|吗|呢|找一下|搜一下|查一下|找|搜|谁|[?？。，,]",
                   r"\b(search|find|calls?|for|which|that|the|in|any|did|anyone|mentioned|mention|about|discussions?|where|someone|said|say|talked|transcripts?|recordings?|a|an)\b|[?.,]")
_ACCOUNT_FILLER = _rx(r"搜一下|找一下|查一下|列出|显示|我有哪些|我有|有哪些|哪些|所有|全部|做|的|客户|行业|公司|名单|列表|搜|找|查|[?？。，,]",
                      r"\b(find|search|list|show|me|my|all|accounts|customers|clients|in|the|industry|from|sector|that|are|which)\b|[?.,]")
_DONE_FILLER = _rx(r"把|给|的|那个|这个|任务|待办|标记为?|标为|完成了?|已经|已|做完了?|搞定了?|办完了?|勾掉|[?？。，,]",
                   r"\b(mark|the|task|todo|as|done|complete|completed|finished|is|my|that)\b|[?.,]")


def _squash(s: str) -> str:
    return re.sub(r"\s{2,}", " ", s).strip()


def _fill(name: str, msg: str, account: str | None, mention: Mention | None, today: date) -> dict[str, Any]:
    lang = detect_lang(msg)
    if name == "create_task":
        due = resolve_due(msg, today)
        return {"title": _task_title(msg, today, lang), "due": due.isoformat() if due else None, "account": account}
    if name == "log_note":
        body = _NOTE_PREFIX.sub("", msg, count=1).strip() or msg
        return {"text": body, "account": account}
    if name == "complete_task":
        return {"query": _squash(_DONE_FILLER.sub(" ", msg)) or msg}
    if name in ("get_account", "get_opportunity", "score_opportunity"):
        return {"account": account}
    if name == "list_tasks":
        return {"when": _when(msg)}
    if name == "list_my_opportunities":
        return {"status": "open"}
    if name == "search_calls":
        rest = msg if mention is None else msg[: mention.start] + msg[mention.end :]
        query = _squash(_CALL_FILLER.sub(" ", rest))
        return {"query": query or msg, "account": account}
    if name == "search_accounts":
        clause = [c for c in re.split(r"[，,。；;]", msg) if c.strip()]
        pick = next((c for c in reversed(clause) if re.search(r"客户|account|customer|client", c, re.I)), msg)
        return {"query": _squash(_ACCOUNT_FILLER.sub(" ", pick))}
    if name == "ask_metrics":
        return {"question": msg}
    return {}


def _when(msg: str) -> str:
    if re.search(r"逾期|过期|超期|延期|overdue|\blate\b|past due|missed|behind", msg, re.I):
        return "overdue"
    if re.search(r"今天|今日|today|tonight", msg, re.I):
        return "today"
    if re.search(r"这周|本周|这星期|这个星期|这礼拜|这个礼拜|本礼拜|下周.{0,4}(之前|前)|一周内|7天内|this week|next (few|7) days|within .{0,3}week", msg, re.I):
        return "week"
    return "all"
