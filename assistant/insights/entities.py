"""Organisations in a call: the customer company (matched to CRM accounts), competitors, our products."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from assistant.insights.text import Sentence
from assistant.insights.types import AccountRef, OrgProfile

PLACES = [
    "北京",
    "上海",
    "天津",
    "重庆",
    "广州",
    "深圳",
    "杭州",
    "苏州",
    "南京",
    "无锡",
    "常州",
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "合肥",
    "武汉",
    "长沙",
    "成都",
    "西安",
    "郑州",
    "济南",
    "青岛",
    "厦门",
    "福州",
    "泉州",
    "东莞",
    "佛山",
    "珠海",
    "中山",
    "昆明",
    "贵阳",
    "南宁",
    "南昌",
    "太原",
    "石家庄",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "兰州",
    "乌鲁木齐",
    "呼和浩特",
    "海口",
    "三亚",
    "银川",
    "西宁",
    "拉萨",
    "烟台",
    "徐州",
    "扬州",
    "南通",
    "台州",
    "金华",
    "义乌",
    "芜湖",
    "洛阳",
    "唐山",
    "保定",
    "广东",
    "江苏",
    "浙江",
    "山东",
    "河南",
    "河北",
    "湖南",
    "湖北",
    "四川",
    "福建",
    "安徽",
    "江西",
    "广西",
    "云南",
    "贵州",
    "陕西",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "甘肃",
    "海南",
    "华东",
    "华南",
    "华北",
    "华中",
    "西南",
    "西北",
    "东北",
    "江南",
    "江北",
    "长三角",
    "珠三角",
    "中原",
    "岭南",
]
_SUFFIX = (
    "精密机械|机械|农商银行|商业银行|银行|教育|新能源|能源|科技|集团|公司|医院|医药|药业|制药|商贸|贸易|电子|电气|电力|"
    "汽车|制造|实业|控股|地产|置业|建设|建筑|工程|食品|餐饮|零售|超市|百货|服饰|纺织|化工|材料|钢铁|矿业|传媒|文化|网络|"
    "信息|软件|证券|保险|基金|投资|租赁|物业|酒店|航空|运输|物流|快递|供应链|环保|水务|燃气|农业|生物|健康|家居|家电|"
    "设计院|研究院|学院|大学|中学|小学|律所|事务所"
)
_GENERIC = {
    "医院",
    "公司",
    "集团",
    "学校",
    "银行",
    "门店",
    "工厂",
    "总部",
    "内部",
    "这边",
    "部门",
    "科技",
    "行业",
}
_LEGAL = r"(?:股份)?有限(?:责任)?公司$|集团$|股份$|公司$"
_COMPANY_CTX = [
    re.compile(r"是(?P<c>[\u4e00-\u9fffA-Za-z]{3,16}?)的(?=[\u4e00-\u9fffA-Za-z]{1,8}(?:吗|么|[，。？?]))"),
    re.compile(r"我们(?P<c>[\u4e00-\u9fffA-Za-z]{3,16}?)(?=这边|的|今年|在|现在|公司|集团|那边|有)"),
    re.compile(r"我是(?P<c>[\u4e00-\u9fffA-Za-z]{3,16}?)的"),
    re.compile(r"(?:来自|代表)(?P<c>[\u4e00-\u9fffA-Za-z]{3,16}?)(?=[，。的])"),
]
_COMP_CTX = [
    re.compile(
        r"(?:也在看|在对比|在比较|还在接触|也接触了|也考虑)(?P<c>[\u4e00-\u9fffA-Za-z]{2,8}?)(?=的|家|那|，|。|和|$)"
    ),
    re.compile(
        r"(?P<c>[\u4e00-\u9fffA-Za-z]{2,8}?)(?:那边|的人)?也(?:在|会)?(?:找|跟|和|来)(?:我们)?(?:谈|聊|讲|推|投标|报价|接触|过)"
    ),
    re.compile(r"(?:除了你们|除了贵司)(?:，)?(?:还有|还在看)(?P<c>[\u4e00-\u9fffA-Za-z]{2,8}?)(?=[，。和])"),
]
_NOT_COMPETITOR = {
    "他们", "别人", "别家", "其他", "其他厂商", "其他家", "友商", "老板", "领导", "公司", "我们", "你们", "同事",
    "Excel", "微信", "技术", "客户", "财务", "采购", "销售", "市场", "厂商", "好几家", "几家", "另外",
}  # fmt: skip
_QUESTION = re.compile(r"哪|什么|谁|厂商|公司|别的|其他|几家")
_LEAD_FILLER = re.compile(r"^(?:另外|而且|还有|听说|其实|说实话|不过|但是|对|嗯|那|就是|像|比如)+")
LINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "CRM": ("客户管理", "销售管理", "线索", "商机", "客户跟进", "销售过程"),
    "BI": ("数据分析", "报表", "数据看板", "经营分析"),
    "渠道": ("经销商", "订货", "渠道管理", "返利"),
    "服务": ("工单", "报修", "派单", "售后服务", "服务管理", "维修"),
    "营销": ("营销", "获客", "会员营销", "营销活动"),
}


_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=8192)
def pinyin(text: str) -> str:
    """Toneless pinyin of the CJK characters (other characters kept, lower-cased)."""
    return "".join(lazy_pinyin(text.lower()))


def _sounds_like(said: str, name: str, threshold: float) -> bool:
    return abs(len(said) - len(name)) <= 1 and fuzz.ratio(pinyin(said), pinyin(name)) >= threshold


def _heard_names(text: str, names: list[str], min_len: int = 4) -> list[str]:
    """Dictionary names the ASR may have written with other characters of the same sound (分享销客 → 纷享销客);
    only names of `min_len`+ CJK characters, where a same-sound window is unlikely to be another word."""
    targets = [n for n in names if len(n) >= min_len and _CJK_ONLY.fullmatch(n) and n not in text]
    if not targets:
        return []
    syl = [pinyin(ch) if "\u4e00" <= ch <= "\u9fff" else "" for ch in text]
    out = []
    for name in targets:
        ns = [pinyin(ch) for ch in name]
        if any(syl[i : i + len(ns)] == ns for i in range(len(syl) - len(ns) + 1)):
            out.append(name)
    return out


@dataclass
class Found:
    name: str
    sentence: Sentence
    account_id: int | None = None


def _core(name: str) -> str:
    """杭州云帆物流科技有限公司 → 云帆 (place, legal form and industry words removed)."""
    n = re.sub(_LEGAL, "", name)
    for _ in range(3):
        n2 = re.sub(rf"(?:{_SUFFIX})$", "", n)
        n2 = re.sub(r"(?:有限|股份)$", "", n2)
        if len(n2) < 2:
            break
        n = n2
    for p in sorted(PLACES, key=len, reverse=True):
        if n.startswith(p) and len(n) - len(p) >= 2:
            n = n[len(p) :]
            break
    return n


def _plausible_company(c: str, org: OrgProfile) -> bool:
    if any(o in c or _sounds_like(c, o, 80) for o in org.own_names) or re.search(
        r"我们|你们|他们|这边|那边|内部|今年", c
    ):
        return False
    starts_place = any(c.startswith(p) and len(c) > len(p) + 1 for p in PLACES)
    m = re.search(rf"(?:{_SUFFIX})$", c)
    has_suffix = bool(m) and len(c) - len(m.group(0)) >= 2 if m else False
    return (starts_place or has_suffix) and c not in _GENERIC and not any(c.startswith(g) for g in _GENERIC)


def find_company(sents: list[Sentence], org: OrgProfile, accounts: list[AccountRef]) -> Found | None:
    """The customer company as said (or the CRM account it fuzzily matches)."""
    own = [a for a in accounts if not any(o in a.name for o in org.own_names)]
    said: Found | None = None
    for s in sents:
        for rx in _COMPANY_CTX:
            for m in rx.finditer(s.text):
                c = m.group("c")
                c = re.sub(r"^(?:请问|您好|你好|我们|是)+", "", c)
                if _plausible_company(c, org):
                    said = said or Found(c, s)
    if said:
        best = max(own, key=lambda a: _account_score(said.name, a.name), default=None)
        if best and _account_score(said.name, best.name) >= 80:
            return Found(best.name, said.sentence, best.id)
        return said
    for a in own:  # no pattern hit: the account's distinctive core said anywhere
        core = _core(a.name)
        if len(core) >= 2:
            for s in sents:
                if core in s.text:
                    return Found(a.name, s, a.id)
    return None


def _account_score(said: str, account: str) -> float:
    cs, ca = _core(said), _core(account)
    if len(cs) >= 2 and (cs == ca or pinyin(cs) == pinyin(ca)):
        return 100.0
    return float(max(fuzz.ratio(cs, ca), fuzz.partial_ratio(said, account) if len(said) >= 4 else 0))


def find_competitors(sents: list[Sentence], org: OrgProfile, customer: str | None) -> list[Found]:
    """Tracked competitors named in the call, plus others named in competitor context (X也在找我们谈)."""
    out: list[Found] = []
    blocked = set(org.own_names) | {p.name for p in org.products} | _NOT_COMPETITOR
    for s in sents:
        low = s.text.lower()
        said = [c for c in org.competitors if c.lower() in low] + _heard_names(s.text, org.competitors)
        for c in said:
            if all(f.name != c for f in out):
                out.append(Found(c, s))
        for rx in _COMP_CTX:
            for m in rx.finditer(s.text):
                c = _LEAD_FILLER.sub("", m.group("c").split("，")[-1])
                if len(c) < 2 or c in blocked or any(o in c for o in org.own_names) or _QUESTION.search(c):
                    continue
                snapped = [t for t in org.competitors if _sounds_like(c, t, 75)]
                c = snapped[0] if snapped else c  # 又有那边也会来投标 → 用友 (a mis-heard tracked name)
                if customer and (c in customer or customer in c):
                    continue
                if any(f.name.lower() in c.lower() or c.lower() in f.name.lower() for f in out):
                    continue
                out.append(Found(c, s))
    return out


def find_products(sents: list[Sentence], org: OrgProfile, competitors: list[str]) -> list[Found]:
    """Our products named in the call; when none is named, the lines whose needs the customer describes."""
    out: list[Found] = []
    for s in sents:
        for p in org.products:
            if p.name.lower() in s.text.lower() and all(f.name != p.name for f in out):
                out.append(Found(p.name, s))
    if out:
        return out
    for s in sents:
        if s.speaker == "rep":
            continue
        for _off, clause in s.clauses():
            if any(c.lower() in clause.lower() for c in competitors) or "他们" in clause:
                continue  # a need said about a competitor's product is not ours
            for p in org.products:
                kws = LINE_KEYWORDS.get(p.line or "", ())
                if any(k in clause for k in kws) and all(f.name != p.name for f in out):
                    out.append(Found(p.name, s))
    return out
