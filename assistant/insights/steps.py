"""Commitments (next steps with owner and due date) and the customer's decision date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.insights.dates import DateMention, find_dates
from assistant.insights.text import Sentence

_DECISION = re.compile(
    r"(?:做|作)(?:出)?(?:最终|最后)?决定|开会决定|定下来|拍板|决策|确定(?:供应商|厂商|方案|下来)?|签(?:约|合同)|"
    r"(?:挂|发|出)(?:招标)?公告|招标公告|给(?:你们|您|你)?(?:一个)?答复|选型结果"
)
_DECISION_Q = re.compile(r"什么时候|哪天|多久|时间")
# a commitment: (first person | our colleague) … verb
_VERBS = (
    r"发(?:到|给|您|你|过来|过去|一份|一下)?|发送|安排|准备|打(?:个)?电话|约|拜访|过来|过去|来贵司|带|提供|出(?:一份|一个)|"
    r"整理|申请|跟进|回访|演示|交流|反馈|确认|对接|提交|报(?:个)?价|寄|签|过一下|汇报|开(?:个)?会|同步|试用|上门"
)
_SUBJ_REP = re.compile(r"^\s*(?:那|好的|好|另外|然后|行|嗯|对)*[，,]?\s*(?:我|让我们)")
_OFFER = re.compile(r"我(?:们)?(?:可以|能|也可以)")
_NO_STEP = re.compile(r"可以吗|吗[？?]?$|[？?]$|已经|上次|上周|之前(?:给|发)过|正在|了|过了|问题")
_CLEAN = [
    (re.compile(r"^(?:那|好的|好|另外|然后|行|没问题|可以)+[，,]?"), ""),
    (re.compile(r"^(?:我们|我)(?:这边)?(?:会|就|再|先|来|也|还)*"), ""),
    (re.compile(r"(?:给您|给你|跟您|跟你|和您|向您)"), ""),
    (re.compile(r"(?:一次|一下|一份|一个|一些|个)"), ""),
    (re.compile(r"(?:吧|呢|啊|哈)$"), ""),
]
_SEND = re.compile(
    r"把(?P<obj>.+?)(?:整理好)?(?:一起)?(?:发|寄|传|给)(?:到|给)?(?:您|你)?(?:的)?(?:邮箱|微信)?(?:参考|看看)?$"
)
_SEND2 = re.compile(r"发(?P<obj>.+?)(?:给(?:您|你))?(?:参考|看看)?$")


@dataclass
class Step:
    action: str
    owner: str
    due: date | None
    sentence: Sentence
    quote: str


_AFTER_DATE = re.compile(
    r"^(?:之前|以前|前|左右|以内|之内)?(?:上午|下午|晚上|早上|中午)?(?:[一二三四五六七八九十两\d]+点(?:半)?)?"
)


def _action(clause: str, dm: list[DateMention]) -> str:
    """A short verb-object label for a commitment clause (把方案和报价单发到您的邮箱 → 发送方案和报价单)."""
    text = clause
    for d in sorted(dm, key=lambda d: -d.start):
        tail = text[d.end :]
        text = text[: d.start] + tail[_AFTER_DATE.match(tail).end() :]  # type: ignore[union-attr]
    text = re.sub(r"^(?:上午|下午|晚上|早上)", "", text.strip())
    for rx, rep in _CLEAN:
        text = rx.sub(rep, text.strip())
    text = re.sub(r"^(?:让[^，]{1,6}?(?:同事|工程师|总监|经理|同学))", "", text)
    text = re.sub(r"^(?:我们|我)(?:这边)?(?:会|就|再|先|来|也|还|提前)*", "", text)
    text = re.sub(r"^(?:在|于)?(?:之前|前)?", "", text)
    m = _SEND.search(text)
    if m:
        return "发送" + re.sub(r"(?:您的|你的)", "", m.group("obj")).strip("的")
    text = re.sub(r"^(?:提前|马上|尽快|先)", "", text)
    text = re.sub(r"^(?:带[^，]{1,8}?)?(?:过来|过去|来贵司|去贵司|贵司|贵公司|上门)", "", text)
    m2 = _SEND2.match(text)
    if m2 and not text.startswith("发现"):
        return "发送" + m2.group("obj").strip("的")
    text = re.sub(r"^(?:做|进行|搞|出)", lambda m: "提供" if m.group(0) == "出" else "", text)
    return text.strip("，,。 ") or clause.strip()


def _owner(s: Sentence, clause: str) -> str | None:
    """Who commits in this clause: rep, customer, or None when nobody does."""
    if not _SUBJ_REP.search(clause) or not re.search(_VERBS, clause):
        return None
    if _OFFER.search(clause) or _NO_STEP.search(clause.strip()):
        return None
    if s.speaker == "rep":
        return "rep"
    if s.speaker == "customer":
        return "customer"
    return "rep" if re.search(r"您", clause) else "customer"


def find_steps(sents: list[Sentence], ref: date) -> list[Step]:
    """One step per commitment clause; a later clause of the same sentence starts a new step only with its own date."""
    out: list[Step] = []
    for s in sents:
        current: Step | None = None
        for _off, clause in s.clauses():
            if _DECISION.search(clause):
                current = None
                continue
            dm = find_dates(clause, ref)
            owner = _owner(s, clause)
            if owner is None and dm and re.search(_VERBS, clause):
                # "下周一我再给您打电话…": the subject may follow the date (also in a later, dated clause)
                owner = _owner(s, re.sub(r"^[^我]*", "", clause))
            if owner is None:
                continue
            if current is not None and not dm:
                continue  # 再邀请我们的技术总监一起参加: part of the same step
            current = Step(_action(clause, dm), owner, dm[0].day if dm else None, s, clause)
            out.append(current)
    return out


def find_decision(sents: list[Sentence], ref: date) -> tuple[date, Sentence, str] | None:
    """When the customer will decide: a date in a decision clause, or in the customer's answer to
    'when will you decide?' (the first dated customer sentence before our side speaks again)."""
    asked = False
    for s in sents:
        clauses = s.clauses()
        for i, (_off, clause) in enumerate(clauses):
            if _DECISION.search(clause):
                dm = find_dates(clause, ref) or (find_dates(clauses[i - 1][1], ref) if i else [])
                if dm:
                    return dm[0].day, s, clause
        if asked and s.speaker != "rep":
            for _off, clause in clauses:
                dm = find_dates(clause, ref)
                if dm:
                    return dm[0].day, s, clause
        if s.speaker != "customer" and _DECISION.search(s.text) and _DECISION_Q.search(s.text):
            asked = True
        elif s.speaker == "rep":
            asked = False
    return None
