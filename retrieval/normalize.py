"""Question text normalised before parsing: NFKC, lower case, Simplified characters, single spaces, and word maps
for the ways people write the same question (Cantonese and southern words, old-fashioned northern speech, a
year in two Chinese digits, CRM field names and a few English nouns or months inside Chinese)."""

from __future__ import annotations

import re
import unicodedata

from retrieval.code_forms import MARKERS, code_forms
from retrieval.entities import CJK, fold
from retrieval.excel import excel
from retrieval.notation import HINTS, notation
from retrieval.periods import MONTHS_EN, zh_number
from retrieval.rx_fast import compile_fast
from retrieval.timeparse import spoken_numbers

_WS = compile_fast(r"\s+")
# a space between two Chinese words is not a word break Chinese needs ('签下来的 金额', '付给我们 多少钱': spaced
# writing of non-native writers and some voice input); spaces next to Latin words stay
_CJK_GAP = compile_fast(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


# Words read as their plain Mandarin (some change the length: `_with_each` then rewrites the normalised question):
# - Cantonese and southern words: 几多天 = 多少天, 今个季度 = 这个季度, 今季 = 本季, 赢咗 = 赢了, 华东嘅 = 华东的,
#   成交了好多钱 = 成交了多少钱, 旧年 = 去年, 收返 = 收回, 揾 = 找, 要使几多钱 = 要花多少钱, 计到 = 到, 嗰 = 那, 行到 = 走到,
#   做成点 = 做成怎么样, 由今年一月 = 从今年一月; written Cantonese 签得落, 倾成, 甩咗, 冇, 畀返, 而家, 喺度, 跟紧;
#   咱们 as 我们, 销售机会/生意机会 as 商机, 元旦 as 1月1日, 每一个/每一位 as 每个/每位;
# - Shanghainese and Wu (阿拉 = 我们, 钞票 = 钱, 几钿 = 多少钱, 上个号头 = 上个月, 啥人 = 谁, 哪能 = 怎么样, 葛 = 这, 几化 =
#   多少), Tianjin 介 = 这, Malaysian 巴仙 = % (多少巴仙 = 百分之多少); quotation marks around a word (走到“方案报价”);
# - old-fashioned northern words: 伙计 = a rep, 主顾 = a customer, 行当 = an industry, 买卖 = business, 头一回 = the
#   first time, 排个座次 = rank, 今儿, 咱; and spoken spans of months: 十月到年底, 往前倒三十天 (a quarter said as its
#   months, 七八九月, is _MONTH_RUN's)
_DIALECT = compile_fast(r"几多|咗|嘅|(?<![至迄如而现])今个(?=月|季|星期|礼拜|周|年|\s?(?:quarter|qtr|month|week|year)(?![a-z]))|逐个(?=月|季度|星期|礼拜|周)|(?<=年|\d)自然年|(?<![至迄如而现])今季(?!节)|"
                      r"(?<=了)好多(?=钱|单|个|笔|天)|(?<=有)好多(?=个|单|笔|家)(?=[^，,。]*[?？])|销售机会|生意机会|元旦|咱们|我哋|"
                      r"佢哋|旧年|收返|每一(?=[个位家款支])|伙计|主顾|行当|买卖|头一回|头一遭|头一名|头一个(?!季|月|星期|礼拜|周|半)|座次|今儿|"
                      r"咱(?!们)|[月号日]到年底|最近这(?=[一二三四五六七八九十两\d])|往前倒(?=[一二三四五六七八九十两\d])|"
                      r"(?<![最近])这(?=[一二三四五六七八九十两\d]+天)|多少巴仙|巴仙|签得落|倾(?=成|完|到|咗|了)|(?<=冇)倾|"
                      r"甩(?=咗|了|的|嘅|单)|冇|畀(?=返|钱)|返嚟|而家|喺度|喺|跟紧|未有结果|成间公司|几多成|呢(?=个|季|月|年|周|间)|真係|"
                      r"葛(?=个|季|月|年|星期|礼拜|周)|几化|(?<=[几多少])只(?=[了？?]|$)|里向|(?<=季度)好(?=成交|签)|"
                      r"介(?=个|季|月|年|周|星期)|多儿钱|从今天往前[数推]|签落|加埋|计埋|入面|拎到|成年(?=[签赢做卖])|睇|俾我|仲未|[“”「」『』]|"
                      r"号头|阿拉|钞票|几钿|啥人|底侬|做掉|哪能|搿个|往前数(?=[一二三四五六七八九十两\d])|揾|(?<=要)使(?=多少|几多)|(?<![累统合总共估预])计到|[嗰𠮶]|行到|"
                      r"(?<=[做搞成得])点(?=[?？!！。]?$)|点样|今日(?=为止)|"
                      r"(?<![理经自])由(?=今年|去年|上个?|本|这|[一二三四五六七八九十\d]|商机|线索|创建|建立|新建)")
_DIALECT_WORDS = {"几多": "多少", "今个": "这个", "逐个": "逐", "自然年": "年", "今季": "本季", "咗": "了", "嘅": "的", "好多": "多少", "销售机会": "商机",
                  "生意机会": "商机", "元旦": "1月1日", "咱们": "我们", "我哋": "我们", "佢哋": "他们", "旧年": "去年", "收返": "收回",
                  "每一": "每", "伙计": "销售", "主顾": "客户", "行当": "行业", "买卖": "生意", "头一回": "第一次", "头一遭": "第一次",
                  "头一名": "第一名", "头一个": "第一个", "座次": "名次", "今儿": "今天", "咱": "我们",
                  "月到年底": "月到12月", "号到年底": "号到12月31日", "日到年底": "日到12月31日",
                  "最近这": "最近", "往前倒": "近", "这": "近", "揾": "找", "使": "花", "计到": "到", "嗰": "那", "行到": "走到",
                  "点": "怎么样", "点样": "怎样", "今日": "今天", "由": "从", "𠮶": "那", "“": "", "”": "", "「": "",
                  "」": "", "『": "", "』": "", "号头": "月", "阿拉": "我们", "钞票": "钱", "几钿": "多少钱", "啥人": "谁", "底侬": "谁",
                  "做掉": "做完", "哪能": "怎么样", "搿个": "这个", "多少巴仙": "百分之多少", "巴仙": "%", "往前数": "近", "签得落": "签下",
                  "倾": "谈", "甩": "丢", "冇": "没", "畀": "付", "返嚟": "回来", "而家": "现在", "喺度": "在", "喺": "在",
                  "跟紧": "跟进中", "未有结果": "还没有结果", "成间公司": "全公司", "几多成": "几成", "呢": "这", "真係": "真是", "葛": "这",
                  "几化": "多少", "只": "个", "里向": "里", "好": "能", "介": "这", "多儿钱": "多少钱", "从今天往前数": "近",
                  "从今天往前推": "近", "签落": "签下", "加埋": "加上", "计埋": "算上", "入面": "里面", "拎到": "拿到", "成年": "全年",
                  "睇": "看", "俾我": "给我", "仲未": "还没"}
# a formal register with a classical flavour (文言色彩): 去岁 = 去年, 几何/若干 = 多少, 诸 = 各, 之 = 的 (not in 之后, 百分之…),
# 了结 = 结束, 值银 = 金额; and the same register in English ('dealings', 'wares', 'brought to a close', 'monies'),
# with a few common typing slips ('teh', 'wich'), each read as the plain word
_FORMAL = compile_fast("去岁|今岁|前岁|几何|若干|(?<=[\u4e00-\u9fff])诸(?=[\u4e00-\u9fff])|(?<![百千万分总久随而之])之(?![后前间内比和差外中上下一乎])|"
                     "了结(?!果)|办结|值银|几宗|实付|落定|初次|限期|失之|\\bdealings?\\b|\\bwares\\b|\\bmonies\\b|"
                     "\\bbrought (?:it |them )?to a close\\b|\\bper cent\\b|\\bwinning the business\\b|\\bteh\\b|\\bwich\\b|\\brecieved\\b|\\beverything we (?=signed|booked|sold)")
# Taiwan usage (案子 for a deal, 成案 won, 掉案 lost, 入帐 money received) and common abbreviations (amt, cnt, pct,
# qtr, 本q, w/, 'cases' for deals, 'last mo', 'accts', "W's" for wins, Yorkshire o' and t'): read as the plain words
# Japanese business words in Chinese (a Japanese company's subsidiary): 案件 = a deal, 受注/失注 = won/lost, 担当者 = the
# owner, 登录 = entered, 实绩 = a record, 见积 = a quote, 期限 = the due date
_USAGE = compile_fast(r"\ban affair\b|\baffairs?\b|\btrimesters?\b|\bsemesters?\b|报了价|案件|受注|失注|担当者?|登录|实绩|见积|(?<!截止)期限|件数|案子|成案|掉案|(?<=[几多少])件(?=案|单)|入帐|(?<![a-z])(?:amt|cnt|pct|qtr)(?![a-z])|(?<=本)q(?![a-z0-9])|"
                    r"\bw/(?=\s)|\bcases\b|(?:(?<=won )|(?<=lost ))case\b|(?<=\blast )mo\b|(?<=\bthis )mo\b|(?<=\bprev )mo\b|"
                    r"(?<=\bper )mo\b|\baccts?\b|\bw's\b|(?<= )[ot]'(?= [a-z])")
_USAGE_WORDS = {"an affair": "a deal", "affair": "deal", "affairs": "deals", "trimester": "quarter", "trimesters": "quarters",
                "semester": "half", "semesters": "halves", "报了价": "报价", "案件": "商机", "受注": "成交", "失注": "输单", "担当者": "销售", "担当": "销售", "登录": "登记", "实绩": "记录",
                "见积": "报价", "期限": "截止日期", "件数": "个数", "案子": "单子", "成案": "成交", "掉案": "丢单", "件": "个", "入帐": "入账", "amt": "amount", "cnt": "count",
                "pct": "percent", "qtr": "quarter", "q": "季度", "w/": "with", "cases": "deals", "case": "deal",
                "mo": "month", "acct": "account", "accts": "accounts", "w's": "wins", "o'": "of", "t'": "the"}
# office shorthand in pinyin initials, next to Chinese words (每个XS名下的SJ, 给KH打电话, BF次数): XS = 销售, KH = 客户,
# SJ = 商机, QD = 签单, ZB = 指标, BF = 拜访, HK = 回款 (only before an amount: HK in other places may be Hong Kong)
_INITIALS = compile_fast(r"(?<![a-z])(?:xs|kh|sj|qd|zb|bf)(?![a-z])|(?<![a-z])hk(?=金额|额|多少|最多|最少|排)")
_INITIAL_WORDS = {"xs": "销售", "kh": "客户", "sj": "商机", "qd": "签单", "zb": "指标", "bf": "拜访", "hk": "回款"}
_ASR_HINTS = frozenset("千迁牵营迎盈上线汇拜")
_USAGE_HINTS = frozenset("案帐注担录绩积限件价")
# speech-recognition homophones of the CRM's words in a dictated question (千下来 = 签下来, 营下来 = 赢下来, 上机 = 商机,
# 线所 = 线索, 汇款 = 回款; 'one deals' = won deals, 'closed one or lost', 'did we one'); the number 千 (三千万) and 经营/运营
# stay as they are
_ASR = compile_fast(r"(?<![\d一二三四五六七八九十百几两万亿])[千迁牵](?=下来?|过单?|成|单|了)|(?<![经运国民军阵露夜阳])[营迎盈](?=下来?|过单?|了|的|单|加)|"
                  r"上机|线所|线锁|汇款|拜防|\bone(?= deals\b)|(?<=\bclosed )one\b(?! way\b)|(?<=\bended up )one\b|(?<=\bending up )one\b|"
                  r"(?:(?<=\bwe )|(?<=\bthey )|(?<=\bshe )|(?<=\bhe ))one\b(?! (?:of|deal)\b)|(?<=\bteam )one\b(?= the\b)|\bone(?= or lost\b)|"
                  r"\bdis(?= (?:quarter|month|year|week)\b)")
_ASR_WORDS = {"千": "签", "迁": "签", "牵": "签", "营": "赢", "迎": "赢", "盈": "赢", "上机": "商机", "线所": "线索", "线锁": "线索",
              "汇款": "回款", "拜防": "拜访", "one": "won", "dis": "this"}
# a span of quarters (一季度到四季度) as the months it covers, and a blank to fill in (合计___元, '___%') as the question word
_QUARTER_SPAN = compile_fast(r"(?<![\d一二三四])第?([一二三四1-4])\s*季度?\s*(?:到|至|-|~)\s*第?([一二三四1-4])\s*季度")
_BLANK = compile_fast(r"[_＿]{2,}")
# a quarter said as its three months ('七八九那仨月', '四五六月份')
_MONTH_RUN = compile_fast(r"(?<![一二三四五六七八九十\d])(一二三|四五六|七八九|十十一十二)(?:月份?|(?:那|这)?(?:仨|三个)月)")
_MONTH_RUNS = {"一二三": "1到3月", "四五六": "4到6月", "七八九": "7到9月", "十十一十二": "10到12月"}
# cheap checks before the formal map runs: a character of its Chinese words, or one of its English words
_FORMAL_HINTS = frozenset("岁几若诸之了办值宗实落初限失")
_FORMAL_EN = compile_fast(r"everything we|deal|ware|monie|brought|teh|wich|recieved|winning the|per cent")
_FORMAL_WORDS = {"去岁": "去年", "今岁": "今年", "前岁": "前年", "几何": "多少", "若干": "多少", "诸": "各", "之": "的",
                 "了结": "结束", "办结": "完成", "值银": "金额", "几宗": "几个", "实付": "付", "落定": "签下", "初次": "首次",
                 "限期": "截止日期", "失之": "丢的", "dealing": "deal", "dealings": "deals", "wares": "products",
                 "monies": "money", "per cent": "percent", "winning the business": "winning", "teh": "the", "wich": "which", "recieved": "received", "everything we ": "the total amount we "}
# Cantonese 边 = 哪 (边五个客户, 边位) and 边个 before a verb = 谁 (边个打电话最勤); 仲…紧嘅 = 还…的 (仲open紧嘅商机)
_YUE_WHO = compile_fast(r"(?<![那这旁东西南北左右外里上下周身手一两])边个(?=[打签赢卖跟拜见做谈收回输丢])|系边个(?=\s?[？?，,。！!]|$)")
_YUE_WHICH = compile_fast(r"(?<![那这旁东西南北左右外里上下周身手一两])边(?=[一二两三四五六七八九十\d]*(?:个|位|家|间|款|条))")
_YUE_STILL = compile_fast(r"仲(?=[^，,。？?]{1,8}?紧(?:嘅|的))|(?<=[a-z\u4e00-\u9fff])紧(?=嘅|的)")
# 生意 (business) for the deals themselves: 签下来的生意, 两边签的生意
_BUSINESS = compile_fast(r"(?<=[签谈做成的笔单个])生意(?!做|好)")
# a year in two Chinese digits (二五年 = 2025年), not a count of years (二三年前, 一二年来)
_ZH_YY = compile_fast(r"(?<![零〇一二三四五六七八九十两几百千万\d])[零〇一二][零〇一二三四五六七八九](?=\s*年(?![前来多后内里间半]|以[来内上后]|左右))")
# 'each of our sales teams' = 'each sales team' (the grouping cue)
_EACH_OF = compile_fast(r"\b(each|every) of (?:our|the|your|its|their) ")
# CRM field names inside Chinese ('全公司这个季度 won 的 amount', 'status=lost 的单子', '按 owner 排', 'due date 已经过了')
_FIELD = r"(?:close date|closing date|created date|creation date|due date|amount|owners?|industry|sector|won|lost)"
_FIELD_RUN = rf"({_FIELD}(?: {_FIELD})*)(?![a-z-])"  # 'won amount': each word maps, between Chinese words only
_FIELDS = compile_fast(rf"(?:(?<=[\u4e00-\u9fff=,，。:：])|^)\s?{_FIELD_RUN}\s?(?=[\u4e00-\u9fff?？!！。,，]|$)")
_FIELD_WORD = compile_fast(_FIELD)
_FIELD_WORDS = {"close date": "成交日期", "closing date": "成交日期", "created date": "创建日期", "creation date": "创建日期",
                "due date": "截止日期", "amount": "金额", "owner": "销售", "owners": "销售", "industry": "行业",
                "sector": "行业", "won": "赢单", "lost": "输单"}
# identifiers written as code ('wonAmount', 'lost_count', 'groupBy', 'createdAt', 'openDeals.amount'): their words,
# split before lower-casing when one of them is a CRM word (a name such as 'HubSpot' or 'McDonald' stays whole); a
# run of underscores is a blank to fill in (_BLANK), not a separator
_IDENT = compile_fast(r"\b[A-Za-z][a-z]*(?:(?:[A-Z]|_[A-Za-z]|\.(?=[a-z]{3,}))[a-z]+)+\b")
_PIECE = compile_fast(r"[A-Za-z][a-z]*")
_CODE_WORDS = frozenset([
    "won", "lost", "open", "amount", "amounts", "count", "date", "created", "closed", "close", "target", "targets",
    "deals", "deal", "opps", "leads", "lead", "payments", "received", "first", "avg", "sum", "group", "by",
    "share", "cum", "expected", "quarter", "quarterly", "activity", "at", "id", "owner", "rep", "region", "team",
    "industry", "product", "line", "series", "month", "year", "days", "cycle",
])


# CRM words run together as one ('wondealsum', 'lost-deal-number' written as 'lostdealnumber', 'closedate')
_PIECES = ("won", "lost", "open", "deals", "deal", "sum", "amount", "count", "number", "closing", "close", "date", "value",
           "target", "quarter", "lead", "source", "part")
_COMPOUND = compile_fast(r"\b(?:" + "|".join(_PIECES) + r"){2,}\b")


def _split(word: str) -> list[str] | None:
    """`word` as a run of `_PIECES` ('wondealsum' → won deal sum), or None."""
    if not word:
        return []
    for piece in _PIECES:
        if word.startswith(piece) and (rest := _split(word[len(piece):])) is not None:
            return [piece, *rest]
    return None


def _ident(m: re.Match[str]) -> str:
    words = _PIECE.findall(m.group(0))
    return " ".join(words) if any(w.lower() in _CODE_WORDS for w in words) else m.group(0)
# an English month inside Chinese: '今年 March 那一个月' = 今年3月
# 'quarter'/'month' after 这个, 上个, 每个, 本 ('这个 quarter Central 的…'), whatever follows
_MIXED_UNIT = compile_fast(r"(?:(?<=[这上下每本]个)|(?<=[这上下本]))\s?(quarter|month)s?\b")
_MIXED_MONTH = compile_fast(rf"(?<=[\u4e00-\u9fff])\s?({'|'.join(MONTHS_EN)})\s?(?=[\u4e00-\u9fff])")


# 中英夹杂: a few English CRM nouns written inside a Chinese sentence ('丢的deal最多', '逾期task', '第一次 follow-up',
# '前三个sales') read as their Chinese words; not inside English ('平均deal size', '金额 deal, what is it worth')
_MIXED = compile_fast(r"(?<=[\u4e00-\u9fff])\s?(phone calls?|phones?|calls?|quarter|deadlines?|leads?|closed[- ]lost|closed[- ]won|won deals?|deals?|accounts?|tasks?|follow[- ]?ups?|win|total)(?![a-z-])"
                    r"(?:\s(?=[\u4e00-\u9fff]))?(?=[\u4e00-\u9fff]|\s?[?？!！。]|\s?$)|"
                    r"(?<![a-z-])(?<![a-z] )(won deals?|deals?|tasks?|follow[- ]?ups?)\s?(?=[\u4e00-\u9fff])|"
                    r"(?<=[个位名的])\s?(sales|reps?|agents?)(?![a-z])(?!\s?(?:cycle|周期|额|金额|业绩|目标|指标))")
_MIXED_WORDS = {"quarter": "季度", "lead": "线索", "deadline": "截止日期", "deal": "单", "account": "客户", "task": "任务", "follow": "跟进", "sales": "销售", "rep": "销售", "agent": "销售",
                "win": "赢", "won": "赢单", "total": "总"}


def _mixed_word(m: re.Match[str]) -> str:
    word = m.group(m.lastindex or 0)
    if word.startswith("closed") and word.endswith("lost"):
        return "输单"
    if word.startswith(("phone", "call")):
        return "电话"
    if word.startswith("deal") and m.string.startswith(("金额", "额", "价值"), m.end()):
        return ""  # '签下来多少deal金额': the deals' amount, not how many deals
    return _MIXED_WORDS["follow" if word.startswith("follow") else "won" if word.startswith(("won ", "closed"))
                        else word if word == "sales" else word.rstrip("s")]


# questions written as pseudo-SQL ('count(won) / (count(won) + count(lost)) group by region order by ratio asc limit 1'):
# the clauses become the words the parser reads (by, ascending/descending, top/bottom N, last N days, still open)
_SQLISH = compile_fast(r"\b(?:group by|order by|limit|where)\b|\b(?:count|sum|avg)\s*\(|(?:created|closed|close|due)_(?:at|date|on)\b")
_DROPPED_G = compile_fast(r"(?<=[a-z]{3})in'(?=[\s,.?!]|$)")
_YEAR_NAMED = compile_fast(r"(?<![-\w])(?<!this )(?<!fiscal )(?<!financial )(?:the )?(?:(?:complete|full|whole|entire) )?year (?=(?:19|20)\d{2}\b)")
_CALENDAR = compile_fast(r"(?:(?<=\blast )|(?<=\bthis )|(?<=\bprior )|(?<=\bcurrent )|(?<=\bprevious ))calendar (?=(?:year|quarter|month)\b)")
_THROUGH_YEAR = compile_fast(r"(?<!\d )(?<!\d-)(?<!\d\d )\bthrough(?:out)? (?=(?:19|20)\d{2}\b(?!\s*[-/]))")
_GROUP_BY_IS = compile_fast(r"group by\s*[=:：]\s*")
_ORDER = compile_fast(r"\border by\b([^,，;；]*?)\b(desc|asc)\b(?:\s*(?:limit|top)\s*(\d+))?")
_SQL_WORDS = [(compile_fast(r"\blimit\s*(\d+)"), r" top \1 "),
              (compile_fast(r"\bgroup by\s*(?=[\u4e00-\u9fff])"), "按"), (compile_fast(r"\bgroup by\b"), "by"),
              (compile_fast(r"\b(created|closed|close|due)_(?:at|date|on)\b"), r"\1 date"),
              (compile_fast(r"\btoday\s*-\s*(\d+)\s*(?:days?|d)\b"), r"the last \1 days"), (compile_fast(r"今天\s*-\s*(\d+)\s*天"), r"近\1天"),
              (compile_fast(r"\bbetween\s+(\S+)\s+and\s+(\S+)"), r"\1到\2"),
              (compile_fast(r"\b(?:stage|status)\s+not\s+in\s*\(\s*won\s*,\s*lost\s*\)"), "still open")]


def _quarter_months(m: re.Match[str]) -> str:
    a, b = (zh_number(m.group(i)) or 1 for i in (1, 2))
    return f"{3 * a - 2}到{3 * b}月"


def _sqlish(t: str) -> str:
    t = _ORDER.sub(lambda m: m.group(1) + (" descending" if m.group(2) == "desc" else " ascending")
                   + (f" {'top' if m.group(2) == 'desc' else 'bottom'} {m.group(3)} " if m.group(3) else " "), t)
    for rx, repl in _SQL_WORDS:
        t = rx.sub(repl, t)
    return t


def normalize(text: str) -> str:
    """NFKC, lower case, Simplified characters (`entities.fold`), single spaces, a few dialect words, a few
    English nouns inside Chinese."""
    if ("(" in text or "%>%" in text or "$" in text) and MARKERS.search(low := text.lower()):
        text = code_forms(low)  # "df[df.status=='won'].amount.sum()", "opps %>% filter(…) %>% summarise(…)"
    if "_" in text or "." in text or text != text.lower():
        text = _IDENT.sub(_ident, text)
    t = spoken_numbers(fold(unicodedata.normalize("NFKC", text)).strip()).replace("–", "-")  # en dash: 7–9月
    if " " in t:
        t = _CJK_GAP.sub("", t)
    t = _DIALECT.sub(lambda m: _DIALECT_WORDS[m.group(0)], t)
    if not _FORMAL_HINTS.isdisjoint(t) or ("e" in t and _FORMAL_EN.search(t)):
        t = _FORMAL.sub(lambda m: _FORMAL_WORDS.get(m.group(0), "closed"), t)  # only 'brought … to a close' is unlisted
    if not _USAGE_HINTS.isdisjoint(t) or "case" in t or "affair" in t or "mester" in t or "本q" in t or "amt" in t or "cnt" in t or (
            "pct" in t or "qtr" in t or "w/" in t or " mo" in t or "acct" in t or "'" in t):
        t = _USAGE.sub(lambda m: _USAGE_WORDS[m.group(0)], t)
    if "季" in t:
        t = _QUARTER_SPAN.sub(_quarter_months, t)
    if "top $" in t or "top ¥" in t:
        t = t.replace("top $", "exceed $").replace("top ¥", "exceed ¥")  # 'did bookings top $10M': a verb, no top-N
    if CJK.search(t) and _INITIALS.search(t):  # only inside a Chinese question
        t = _INITIALS.sub(lambda m: _INITIAL_WORDS[m.group(0)], t)
    if not _ASR_HINTS.isdisjoint(t) or "one" in t or "dis " in t:
        t = _ASR.sub(lambda m: _ASR_WORDS[m.group(0)], t)
    if "一二三" in t or "四五六" in t or "七八九" in t or "十十一十二" in t:
        t = _MONTH_RUN.sub(lambda m: _MONTH_RUNS[m.group(1)], t)
    if "__" in t or "＿＿" in t:
        t = _BLANK.sub(lambda m: "多少" if CJK.search(t) else "what", t)
    if "年" in t:
        t = _ZH_YY.sub(lambda m: f"{zh_number(m.group(0)):02d}", t)
    if _COMPOUND.search(t):
        t = _COMPOUND.sub(lambda m: " ".join(_split(m.group(0)) or [m.group(0)]), t)
    if " of " in t:
        t = _EACH_OF.sub(r"\1 ", t)
    if not HINTS.isdisjoint(t) or "argm" in t:
        t = notation(t)  # '|W|/(|W|+|L|)', 'Σ amount', '∀ region R', 'argmax'
    if ("if" in t and "(" in t) or '">' in t:
        t = excel(t)  # '=SUMIFS(close_value, stage, "Won", close_date, ">=1/1/2017", …)'
    if "group by" in t:
        t = _GROUP_BY_IS.sub("group by ", t)  # 'group by = region', 'group by: region'
    if ("(" in t or " by " in t or "_" in t or "limit" in t or "where" in t) and _SQLISH.search(t):
        t = _sqlish(t)
    if "边" in t or "仲" in t or "生意" in t:
        t = _YUE_WHO.sub(lambda m: "是哪个" if m.group(0) == "系边个" else "谁", t)
        t = _YUE_WHICH.sub("哪", t)
        t = _YUE_STILL.sub(lambda m: "还" if m.group(0) == "仲" else "", t)
        t = _BUSINESS.sub("单子", t)
    if CJK.search(t):
        if "quarter" in t or "month" in t:
            t = _MIXED_UNIT.sub(lambda m: "季度" if m.group(1) == "quarter" else "月", t)
        t = _MIXED.sub(_mixed_word, t)
        t = _MIXED_MONTH.sub(lambda m: f"{MONTHS_EN.index(m.group(1)) + 1}月", t)
        t = _FIELDS.sub(lambda m: _FIELD_WORD.sub(lambda w: _FIELD_WORDS[w.group(0)], m.group(1)).replace(" ", ""), t)
    if "year " in t:
        t = _YEAR_NAMED.sub("", t)  # 'for the complete year 2025' is 2025
    if "calendar " in t:
        t = _CALENDAR.sub("", t)  # 'last calendar year' is last year
    if "through" in t:
        t = _THROUGH_YEAR.sub("in ", t)  # 'quarter by quarter through 2025': during 2025 (not 'from 2024 through 2025')
    if "'" in t:
        t = _DROPPED_G.sub("ing", t)  # "winnin'", "fixin' to": the g a casual writer drops
    return _WS.sub(" ", t)
