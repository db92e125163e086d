"""People in a call: our rep(s) and the customer's contacts, with titles, roles and CRM contact ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba
import jieba.posseg as pseg

from assistant.insights.text import Sentence
from assistant.insights.types import ContactRef, OrgProfile, Role

SURNAMES = (
    "欧阳司马诸葛上官东方慕容"  # compound ones are matched first below
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND = "欧阳|司马|诸葛|上官|东方|慕容"
_SUR = rf"(?:{_COMPOUND}|[{SURNAMES[12:]}])"
_HON = r"总经理|副总|总监|经理|主任|主管|行长|院长|校长|局长|处长|科长|部长|厂长|所长|书记|老师|总(?![共额量数体结部裁之计价包账监经])|董(?!事)"
_TITLE = (
    r"CEO|CIO|CTO|CFO|COO|VP|IT负责人|负责人|总经理|副总经理|董事长|副总裁|总裁|"
    r"(?:技术|销售|市场|财务|采购|运营|信息|IT|产品|研发|人力)?(?:总监|经理|主管)|主任|工程师|架构师"
)
_DEPT = r"(?P<dept>(?:采购|市场|技术|科技|财务|信息|IT|运营|销售|人事|行政|法务|设备|信息中心|质量|生产|客服)(?:部|科|中心|处)?)的"
_EN_STOP = {
    "Excel", "Word", "Office", "Windows", "Java", "Python", "Oracle", "Android", "Apple", "Google", "Microsoft",
    "Linux", "App", "Demo", "Hello", "Okay", "The", "And", "SaaS", "Teams", "Zoom", "Email", "Mail", "Wechat",
}  # fmt: skip
_EN_NAMES = set(
    [
        "Kevin",
        "Linda",
        "Tom",
        "Jack",
        "Mike",
        "Michael",
        "David",
        "John",
        "Peter",
        "Paul",
        "Mary",
        "Lucy",
        "Lily",
        "Amy",
        "Anna",
        "Alice",
        "Grace",
        "Helen",
        "Jenny",
        "Tony",
        "Eric",
        "Frank",
        "Henry",
        "James",
        "Jason",
        "Jerry",
        "Jimmy",
        "Leo",
        "Ken",
        "Sam",
        "Steven",
        "Vincent",
        "Victor",
        "William",
        "Allen",
        "Andy",
        "Bob",
        "Chris",
        "Daniel",
        "Emma",
        "Emily",
        "Ivy",
        "Jane",
        "Judy",
        "Julia",
        "Kate",
        "Lisa",
        "Nancy",
        "Rachel",
        "Sarah",
        "Sophia",
        "Susan",
        "Tina",
        "Vivian",
        "Wendy",
        "Cindy",
        "Coco",
        "Cathy",
        "Sandy",
        "Sherry",
        "Sunny",
        "Tracy",
        "Joyce",
        "Eva",
        "Fiona",
        "Iris",
        "Jessica",
        "Angela",
        "Annie",
        "Bella",
        "Betty",
        "Carol",
        "Cherry",
        "Doris",
        "Elaine",
    ]
)
# a surname + honorific (谢谢王总, 和张总监, 采购部的黄经理), never after a number (一万总共)
_SUR_HON = re.compile(rf"(?<![\d零一二两三四五六七八九十百千万])(?P<n>{_SUR})(?P<h>{_HON})")
_FUNCTION_CHARS = set("他她它的是和也在会说对要就还跟与及了吧呢吗啊您你我们这那有负来去讲让给把被都")
_NAME_CTX = re.compile(
    rf"(?:叫|找|是|和|跟|请|让|问|联系|由)(?P<n>{_SUR}[\u4e00-\u9fff]{{1,2}})|(?P<n2>{_SUR}[\u4e00-\u9fff]{{1,2}}?)(?=你好|您好|负责|来负责)"
)
_EN_CTX_BEFORE = re.compile(r"(?:的|是|叫|找|和|跟|请|让|问|约)$")
_EN_CTX_AFTER = re.compile(r"^(?:你好|您好|总|会|说|负责|也|这边|那边|刚才)")

_HON_TITLE = {"总": "总经理", "董": "董事长"}
_DECISION_TITLES = ("总经理", "董事长", "CEO", "总裁", "行长", "院长", "校长", "局长", "老板", "厂长")
_INFLUENCE_TITLES = (
    "总监",
    "CIO",
    "CTO",
    "CFO",
    "主任",
    "负责人",
    "采购",
    "经理",
    "处长",
    "科长",
    "部长",
    "架构师",
)


def role_for(title: str | None) -> Role:
    if not title:
        return "unknown"
    if any(t in title for t in _DECISION_TITLES) or title.endswith("总"):
        return "decision_maker"
    if any(t in title for t in _INFLUENCE_TITLES):
        return "influencer"
    if any(t in title for t in ("主管", "专员", "工程师", "用户")):
        return "user"
    return "unknown"


@dataclass
class Person:
    name: str
    title: str | None
    sentence: Sentence
    quote: str
    surname: str = ""
    full: bool = False
    aliases: list[str] = field(default_factory=list)


def rep_names(sents: list[Sentence], org: OrgProfile) -> set[str]:
    """Our rep's names from self-introductions (我是云启科技的客户经理赵磊) and how the customer addresses them."""
    names: set[str] = set()
    own = "|".join(re.escape(n) for n in sorted(org.own_names, key=len, reverse=True))
    rx = re.compile(
        rf"我是(?:{own})(?:公司)?的(?:[^，。,\s]{{0,6}}?(?:经理|顾问|专员|总监|代表|销售|助理))?(?P<n>[\u4e00-\u9fff]{{2,3}}|[A-Z][a-z]+)"
    )
    for s in sents:
        for m in rx.finditer(s.text):
            n = m.group("n")
            n = _snippet_name(s.text[m.start("n") : m.start("n") + 4]) or n[:2] if len(n) == 3 else n
            names.add(n)
    return names


def _snippet_name(snippet: str) -> str | None:
    """The full name a short snippet starts with (张伟他对 → 张伟), or None. jieba on a few characters only."""
    toks = jieba.lcut(snippet)
    w = toks[0] if toks else ""
    if len(w) == 1 and len(toks) > 1 and len(toks[1]) == 1 and toks[1] not in _FUNCTION_CHARS:
        w = w + toks[1]  # 张 + 伟 split by the dictionary
    while len(w) > 2 and w[-1] in _FUNCTION_CHARS:
        w = w[:-1]  # 张伟来 → 张伟
    if (
        2 <= len(w) <= 3
        and re.match(_SUR, w)
        and _plausible_name(w)
        and not any(c in _FUNCTION_CHARS for c in w[1:])
    ):
        tag = pseg.dt.word_tag_tab.get(w)
        return w if tag in (None, "nr", "nrfg", "nrt") else None
    return None


def _plausible_name(w: str) -> bool:
    """jieba tags many common words nr (明白, 谢谢); a frequent dictionary word is not taken as a name."""
    return int(jieba.dt.FREQ.get(w, 0) or 0) <= 500 and not re.search(rf"(?:{_HON})$", w)


def _surname(name: str) -> str:
    m = re.match(_COMPOUND, name)
    return m.group(0) if m else name[:1]


def _mentions(s: Sentence, extra_names: list[str]) -> list[Person]:
    """Every person mention in one sentence (no side decided yet)."""
    text, found = s.text, []
    used: list[tuple[int, int]] = []

    def add(start: int, end: int, name: str, title: str | None, full: bool) -> None:
        if any(start < ue and us < end for us, ue in used):
            return
        used.append((start, end))
        found.append(Person(name, title, s, text, _surname(name) if not name.isascii() else "", full))

    def dept_before(pos: int) -> str | None:
        m = re.search(_DEPT + r"$", text[:pos])
        return m.group("dept") if m else None

    # 李娜李总监: full name then surname + honorific
    for m in re.finditer(rf"(?P<n>(?P<s>{_SUR})[\u4e00-\u9fff]{{1,2}}?)(?P=s)(?P<h>{_HON})", text):
        add(m.start(), m.end(), m.group("n"), _HON_TITLE.get(m.group("h"), m.group("h")), True)
    # names the CRM knows
    for n in extra_names:
        for m in re.finditer(re.escape(n), text):
            add(m.start(), m.end(), n, None, True)
    # title + full name / title + surname-honorific: 技术总监张伟, CIO陈总
    for m in re.finditer(rf"(?P<t>{_TITLE})(?P<n>{_SUR}(?:{_HON}|[\u4e00-\u9fff]{{1,2}}))", text):
        n = m.group("n")
        hon_m = re.search(rf"(?:{_HON})$", n)
        if hon_m and len(n) - len(hon_m.group(0)) == len(_surname(n)):
            add(m.start("n"), m.end(), n, m.group("t"), False)
            continue
        w = _snippet_name(text[m.start("n") : m.start("n") + 4])
        if w:
            add(m.start("n"), m.start("n") + len(w), w, m.group("t"), True)
    # surname + honorific: 王总, 张主任, 采购部的黄经理
    for m in _SUR_HON.finditer(text):
        sur, hon = str(m.group("n")), str(m.group("h"))
        start = m.start()
        dept = dept_before(start)
        title = _HON_TITLE.get(hon, hon)
        if dept and hon not in ("总", "董"):
            title = f"{dept}{hon}"
        add(start, m.end(), sur + hon, title, False)
    # full names in person context (叫王建国, 找李娜, 张伟负责); jieba only sees the short snippet
    for m in _NAME_CTX.finditer(text):
        at = m.start("n") if m.group("n") else m.start("n2")
        full = _snippet_name(text[at : at + 4])
        if full:
            add(at, at + len(full), full, None, True)
    # English given names: Kevin, 采购部的Linda
    for m in re.finditer(r"(?<![A-Za-z])[A-Z][a-z]{2,10}(?![A-Za-z])", text):
        w = m.group(0)
        if w in _EN_STOP:
            continue
        if w in _EN_NAMES or _EN_CTX_BEFORE.search(text[: m.start()]) or _EN_CTX_AFTER.match(text[m.end() :]):
            dept = dept_before(m.start())
            add(m.start(), m.end(), w, dept, True)
    return found


def _ours(p: Person, text_before: str, at_start: bool, reps: set[str], rep_surnames: set[str]) -> bool:
    """True when the mention is someone on our side."""
    if p.name in reps:
        return True
    if (
        not p.full
        and p.surname in rep_surnames
        and p.title
        and "经理" in p.title
        and "的" not in text_before[-2:]
    ):
        return True  # 李经理 for our rep 李明 (said by either side)
    if p.sentence.speaker == "customer":
        return bool(
            at_start
            and re.match(r"^[^，。]{0,6}(?:好|你好)", p.sentence.text[len(text_before) + len(p.name) :])
        )
    if p.sentence.speaker == "rep":
        return (
            bool(re.search(r"(?:我们|我司|我们公司)(?:的)?[^，。您你]{0,8}$", text_before))
            and "您的" not in text_before
        )
    return False


def find_contacts(
    sents: list[Sentence],
    org: OrgProfile,
    competitors: list[str],
    crm_contacts: list[ContactRef],
) -> tuple[list[Person], set[str]]:
    """The customer's people (merged, first mention kept) and our reps' names."""
    reps = rep_names(sents, org)
    rep_surnames = {_surname(n) for n in reps if not n.isascii()}
    blocked = set(org.own_names) | {p.name for p in org.products} | set(competitors)
    people: list[Person] = []
    for s in sents:
        for p in _mentions(s, [c.name for c in crm_contacts]):
            if p.name in blocked or any(p.name in b for b in blocked if len(p.name) > 1 and not p.full):
                continue
            idx = s.text.find(p.name)
            before = s.text[:idx] if idx >= 0 else ""
            at_start = not re.sub(r"^[^\u4e00-\u9fffA-Za-z]*(?:好的|嗯|喂|那)?[，,]?", "", before)
            if _ours(p, before, at_start, reps, rep_surnames):
                continue
            people.append(p)
    return _merge(people), reps


def _merge(people: list[Person]) -> list[Person]:
    """One entry per person: 张总监 folds into 张伟 when that is the only 张 with a full name."""
    out: list[Person] = []
    for p in people:
        same = next((q for q in out if q.name == p.name), None)
        if same:
            same.title = same.title or p.title
            continue
        out.append(p)
    fulls = [p for p in out if p.full and p.surname]
    merged: list[Person] = []
    for p in out:
        if not p.full and p.surname:
            cands = [f for f in fulls if f.surname == p.surname]
            if len(cands) == 1:
                f = cands[0]
                f.title = f.title or p.title
                f.aliases.append(p.name)
                continue
        merged.append(p)
    return merged


def match_contact(p: Person, crm_contacts: list[ContactRef], account_id: int | None) -> int | None:
    """The CRM contact this person is: same full name, or same surname + a consistent title, unique."""
    pool = [c for c in crm_contacts if account_id is None or c.account_id in (None, account_id)]
    exact = [c for c in pool if c.name == p.name or c.name in p.aliases]
    if len(exact) == 1:
        return exact[0].id
    if p.full or not p.surname:
        return None
    hon = p.name[len(p.surname) :]
    cands = [
        c
        for c in pool
        if _surname(c.name) == p.surname
        and (not c.title or hon in c.title or hon == "总" or (p.title is not None and p.title in c.title))
    ]
    return cands[0].id if len(cands) == 1 else None
