"""Transcript plumbing for the insight engines: plain text → Transcript, sentences with offsets, evidence, speakers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.insights.types import Evidence, OrgProfile
from transcription.types import Segment, Speaker, Transcript

_PREFIX = re.compile(
    r"^\s*(?P<who>销售|客户|坐席|顾客|rep|customer|sales|client|REP|CUSTOMER|Rep|Customer|Sales|Client)\s*[：:]\s*"
)
_WHO: dict[str, Speaker] = {"销售": "rep", "坐席": "rep", "rep": "rep", "sales": "rep", "客户": "customer"}
_WHO.update({"顾客": "customer", "customer": "customer", "client": "customer"})
_SENT_END = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+")


def parse_plain(text: str) -> Transcript:
    """One turn a line, optional prefix 销售：/客户：/rep:/customer:; blank lines are skipped."""
    segs: list[Segment] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _PREFIX.match(line)
        speaker: Speaker = _WHO.get(m.group("who").lower(), "unknown") if m else "unknown"
        body = line[m.end() :] if m else line
        segs.append(Segment(start=0.0, end=0.0, speaker=speaker, text=body.strip()))
    return Transcript.from_segments(segs)


def strip_labels(text: str) -> str:
    """The same text with speaker prefixes removed (the benchmark's unlabelled mode)."""
    return "\n".join(_PREFIX.sub("", line) for line in text.splitlines())


@dataclass(frozen=True)
class Sentence:
    """A sentence of one turn: its text, turn index, speaker and offset within the turn's text."""

    text: str
    turn: int
    speaker: Speaker
    offset: int

    def clauses(self) -> list[tuple[int, str]]:
        """(offset within the sentence, text) of each comma-separated clause."""
        return [(m.start(), m.group(0)) for m in _CLAUSE.finditer(self.text) if m.group(0).strip()]


def sentences(transcript: Transcript, speakers: list[Speaker]) -> list[Sentence]:
    out: list[Sentence] = []
    for i, seg in enumerate(transcript.segments):
        for m in _SENT_END.finditer(seg.text):
            if m.group(0).strip():
                out.append(Sentence(m.group(0), i, speakers[i], m.start()))
    return out


_REPLY_START = re.compile(r"^\s*(?:好的|好啊|好|嗯|对|是的|是我|是|可以|行|明白|没问题|理解|当然|谢谢)")


def call_sentences(transcript: Transcript, org: OrgProfile) -> list[Sentence]:
    """Sentences with speakers. Turn-like segments: `infer_speakers`. Long unlabelled ASR segments that
    hold several turns: each sentence gets its own speaker from its cues, else from the dialogue flow
    (an answer follows a question or starts with 好的/可以/明白…; otherwise the same speaker goes on)."""
    segs = transcript.segments
    counts = [sum(1 for m in _SENT_END.finditer(s.text) if m.group(0).strip()) for s in segs]
    unknown = any(s.speaker == "unknown" for s in segs)
    if not unknown or (sum(counts) < 2.5 * max(1, len(segs)) and max(counts, default=0) < 4):
        return sentences(transcript, infer_speakers(transcript, org))
    out: list[Sentence] = []
    prev: Sentence | None = None
    for sent in sentences(transcript, ["unknown"] * len(segs)):
        score = _cue_score(sent.text, org)
        who: Speaker
        if score > 0:
            who = "rep"
        elif score < 0:
            who = "customer"
        elif prev is None:
            who = "rep"
        elif prev.text.rstrip().endswith(("？", "?")) or _REPLY_START.match(sent.text):
            who = "customer" if prev.speaker == "rep" else "rep"
        else:
            who = prev.speaker
        prev = Sentence(sent.text, sent.turn, who, sent.offset)
        out.append(prev)
    return out


def evidence(transcript: Transcript, turn: int, quote: str) -> Evidence:
    """Evidence for `quote` in segment `turn`; times come from the segment (or its words when present)."""
    seg = transcript.segments[turn]
    quote = quote.strip().rstrip("，,。！？!?；;")
    start: float | None = None
    end: float | None = None
    if seg.end > seg.start:
        start, end = seg.start, seg.end
        if seg.words:
            pos = seg.text.find(quote)
            if pos >= 0:
                acc, ws, we = 0, None, None
                for w in seg.words:
                    wlen = len(w.word.strip())
                    if ws is None and acc + wlen > pos:
                        ws = w.start
                    if acc < pos + len(quote):
                        we = w.end
                    acc += wlen
                start, end = ws if ws is not None else start, we if we is not None else end
    return Evidence(quote=quote, turn=turn, start=start, end=end)


# --- speakers --------------------------------------------------------------------------------------

_CUSTOMER_CUES = [
    r"我们也在看",
    r"也在(?:找|跟|和)我们",
    r"预算",
    r"采购上限",
    r"最多能接受",
    r"我们(?:计划|希望|现在|内部|这边|医院|公司)",
    r"[\u4e00-\u9fff]经理(?:你)?好",
    r"你们",
    r"你(?!们)",
    r"老板",
    r"我先看看",
]
_REP_CUES = [r"您", r"我们的优势", r"贵司", r"我们有", r"给您", r"发您", r"您看"]


def _cue_score(text: str, org: OrgProfile) -> int:
    """> 0 sounds like our rep, < 0 like the customer."""
    score = 0
    for own in org.own_names:
        if re.search(rf"我是{re.escape(own)}", text):
            score += 5
    for p in org.products:
        if f"我们的{p.name}" in text:
            score += 2
    score += sum(len(re.findall(c, text)) for c in _REP_CUES)
    score -= sum(len(re.findall(c, text)) for c in _CUSTOMER_CUES)
    return score


def infer_speakers(transcript: Transcript, org: OrgProfile) -> list[Speaker]:
    """Keep given speakers; fill unknown ones: turns alternate, the parity that fits the cues best wins,
    and a turn whose own cues are strong (|score| ≥ 3) keeps them."""
    segs = transcript.segments
    if all(s.speaker != "unknown" for s in segs):
        return [s.speaker for s in segs]
    scores = [_cue_score(s.text, org) for s in segs]
    even_rep = sum(sc if i % 2 == 0 else -sc for i, sc in enumerate(scores))
    out: list[Speaker] = []
    for i, s in enumerate(segs):
        if s.speaker != "unknown":
            out.append(s.speaker)
        elif scores[i] >= 3:
            out.append("rep")
        elif scores[i] <= -3:
            out.append("customer")
        else:
            out.append("rep" if (i % 2 == 0) == (even_rep >= 0) else "customer")
    return out
