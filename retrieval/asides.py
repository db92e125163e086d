"""What in a question is not part of it: a preamble that says why one asks, an aside that rules a cut out or names
examples, a sign-off, and a period said and then corrected. The parser blanks these before it reads the question."""

from __future__ import annotations

from retrieval.rx_fast import compile_fast

# an aside that is not part of the question: a cut named in brackets only to rule it out ('按具体产品（不是产品系列）',
# '(not by team)'), a clause that rules something out ('不看签了多少合同，…', 'Not by deal count, by money: …'), examples
# of a grouping's values ('每个渠道，比如展会、转介绍，…'), and a sign-off after the
# question ('…, cheers', '…, thanks mate')
ASIDE = compile_fast(r"\b(?:into|in|inside|to|from|on) (?:the|our) crm\b(?!\s*(?:product|line|series|产品))|\((?:但)?(?:不是|而不是|并非|不按|不要|不看|不含|不包括|不算|not|rather than|excl\.?|excluding|without)[^()]{0,40}\)|"
                   r"[，,]\s*(?:不是|而不是|并非|不含|不包括)[^，,。？?()]{1,12}(?=\))|"
                   r"[(（]\s?(?:比如|例如|譬如|像是|e\.g\.?|eg\.?|such as|for example|for instance)[^()（）]{1,40}[)）]|"
                   r"[(（][^()（）]{1,60}(?:\band so on|\betc\.?|\band the like|等等?|之类)\s?[)）]|"
                   r"[,.;]\s*not (?:the )?(?:deals?|contracts?|orders?) (?:signed|won|booked)\b|"
                   r"[，,(（]\s?(?:比如|例如|譬如|像是|e\.g\.|such as)[^，,。？?()（）]{1,30}[，,)）]|"
                   r"(?:^|(?<=[，,。]))\s*(?:不看|不要只?|别看|不是(?!没|从没|从来没))[^，,。：:]{1,20}[，,：:]|(?:^|(?<=[，,。？?]))[^，,。：:？?]{1,20}(?:都|那种|这种)?不算[，,：:]|"
                   r"^(?:not (?:the|by|a)|ignoring|excluding|leaving out)\b[^,:.]{1,30}[,:]|"
                   r"[,，]?\s*\bno matter (?:whether|if)\b[^,?]{0,40}|"
                   r"(?:下周[一二三四五六日天]?|明天|今晚|下午)[^，,。？?]{0,12}?(?:前|之前)(?:要|给我|发我)|\bby (?:monday|tuesday|wednesday|thursday|friday|tomorrow|eod)\b|"
                   r"(?:[,，]|(?<=[?？.!！。]))\s*(?:cheers|thanks|thank you|thx|ta|many thanks)(?:,?\s*mate)?\s*[.!。！]*$")
# sentences before the question that say why it is asked ('财务那边让我列一份感谢名单。', 'Anna asked me for some honest
# feedback.'): a first-person account with a verb of intent or request, ended by a full stop, before another sentence
_PRONOUN = compile_fast(r"他|她|\b(?:he|she|his|her|him|they|their|them)\b")
_ASKS = compile_fast(r"多少|几|哪|谁|什么|怎么|如何|\b(?:what|which|how|who)\b")  # a preamble asks nothing itself
_PREAMBLE = compile_fast(
    r"^(?:[^。.!！?？]*?(?:我|咱|阿拉|\bi\b|\bi'm\b|\bme\b)[^。.!！?？]*?"
    r"(?:想|要|准备|打算|在学习|在想|听说|听人说|让我|问我|叫我|给[^。]{0,10}(?:做|寄|写|讲|列)|\bwants?\b|\bwant to\b|\bneed to\b|"
    r"\basked me\b|\bpreparing\b|\bi'm (?:trying|writing|putting|working)\b|\bkeeps? telling me\b|\btold me\b)"
    r"[^。.!！?？]*?(?:[。!！]|\.(?=\s|$))\s*)+")
# what a user story wraps around the question: the asker's role ('As the CFO, I want to know …', '作为销售总监，我想知道…')
# and what the answer is for ('…, so that I can finish the board deck', '…，以便跟下半年做对比'). Neither asks anything:
# 'annual report' is no grouping by year, 'compare with this quarter' no comparison.
# The role is kept when it names a team or region ('作为华东一组组长，…我们组…'): the parser checks that.
ROLE = compile_fast(r"^\s*as (?:a|an|the|our|my) [^,，]{1,60}[,，]|^\s*作为[^，,。？?]{1,24}[，,]")
PURPOSE = compile_fast(r"[,，]?\s*\b(?:so that|so as to|in order to)\b[^?？。]*|[，,]\s*(?:以便|以便于|便于|好让|以供|用于)[^?？。]*")
# an OKR key result stated before the question ('KR3：回款要从每季度3000万提到4000万——这个季度到账多少？', 'O1-KR2: grow X
# 20 % year over year — how does …'): the goal says what is measured, but its cadence, figures and 'from A to B' are
# not the question's period or cut (GOAL_NOISE is blanked inside the goal only)
OKR_GOAL = compile_fast(r"^\s*(?:o\d+\s*[-‐]?\s*)?kr\s?\d+\s*[:：][^—–]*?(?:——|—|–|--|\s-\s)")
GOAL_NOISE = compile_fast(r"每(?:人|位|个销售)?每?(?:季度?|月|年|周|天)|\b(?:per|every|each) (?:quarter|month|year|week|rep|person)\b|"
                        r"从[^，,。？?—]{0,14}?(?:提到|拉到|做到|升到|降到|提升到|增加到|涨到|追到)[^，,。？?—]{0,10}|"
                        r"\bfrom\s+\S+\s+to\s+\S+|\d+(?:\.\d+)?\s*(?:%|万|百万|倍|次|通|成)|\$\d[\d.,]*[mk]?\b|"
                        r"\byear over year\b|\b(?:19|20)\d{2}\b")
# a period said and then corrected ('上个月，不对，这个月', 'this month, no wait, last month'): the later one counts
CORRECTION = compile_fast(r"[，,]\s*(?:不对|说错了|哦不|不是不是|no wait|wait,? no|sorry,? no|no,? sorry|correction)[，,]?")


def preamble(text: str) -> tuple[int, int] | None:
    """The span of the sentences before the question that only say why it is asked, or None. Kept when they ask
    something themselves, when little is left after them, or when the question refers back to them ('李明让我…。他…')."""
    pre = _PREAMBLE.match(text)
    if pre is None or _ASKS.search(text, 0, pre.end()) or len(text[pre.end():].strip()) <= 5 or _PRONOUN.search(text, pre.end()):
        return None
    return pre.span()
