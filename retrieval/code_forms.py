"""Questions written as pandas or R code over a table of opportunities ("df[(df.status=='won') &
(df.region=='华南')].amount.mean()", "opps %>% filter(status == 'won', year(close_date) == 2017) %>%
summarise(sum(amount))", "names(which.max(table(opps$sector[opps$status == 'lost'])))"): the code becomes the words
the parser reads — the state filtered on, the values, the period, the aggregate, the grouping and the ranking. Run on
the lower-cased question; a question without code markers is returned as it is."""

from __future__ import annotations

import re

from retrieval.excel import DAY, day_range

MARKERS = re.compile(r"\bdf\b|%>%|\bsubset\(|\.groupby\(|\bnrow\(|\$amount|\bwhich\.m(?:ax|in)\b|\.sum\(\)|\.mean\(\)|"
                     r"\.size\(\)|\bsummarise\(|\bgroup_by\(")
_Q = r"['\"]"
_STATE = r"(?:status|stage|deal_stage|outcome)"
_AMOUNT = r"(?:amount|close_value|value)"
_DATE_COL = r"(?:\w+\.)?(?:closed?_(?:at|date|on)|created_(?:at|date|on)|received_on|expected_close|date)"
_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(rx), repl) for rx, repl in (
    # the state
    (rf"{_STATE}\s*(?:%in%\s*c\(|\.isin\(\[)\s*{_Q}won{_Q}\s*,\s*{_Q}lost{_Q}\s*[\])]\)?", " closed (won or lost) "),
    (rf"\(\s*(?:\w+\.)?{_STATE}\s*==\s*{_Q}won{_Q}\s*\)\s*\.sum\(\)\s*/\s*len\(\w+\)", " won ÷ all the deals "),
    (rf"\(\s*(?:\w+\.)?{_STATE}\s*==\s*{_Q}won{_Q}\s*\)\s*\.mean\(\)|mean\(\s*{_STATE}\s*==\s*{_Q}won{_Q}\s*\)|"
     rf"\.eq\({_Q}won{_Q}\)\.mean\(\)", " what share won "),
    (rf"(?:\w+\.|\w+\$)?{_STATE}\s*(?:==|\.eq\()\s*{_Q}(won|lost)(?:{_Q})\)?", r" \1 "),
    (rf"(?:\w+\.|\w+\$)?{_STATE}\s*(?:==|\.eq\()\s*{_Q}open{_Q}\)?", " still open "),
    # the period
    (rf"{_DATE_COL}(?:\.dt)?\.between\(\s*{_Q}({DAY}){_Q}\s*,\s*{_Q}({DAY}){_Q}\s*\)", r" \1到\2 "),
    (r"(?:\.dt\.year|year\(\w+\))\s*==\s*year\(today\(\)\)", " this year "),
    (r"(?:\w+\.)?\w+\.dt\.year\s*==\s*(\d{4})|\byear\(\w+\)\s*==\s*(\d{4})", r" in \1\2 "),
    (rf"\.dt\.to_period\({_Q}q{_Q}\)\s*==\s*{_Q}(\d{{4}})q([1-4]){_Q}", r" \1 q\2 "),
    (rf"\.dt\.to_period\({_Q}m{_Q}\)\s*==\s*{_Q}(\d{{4}}-\d{{2}}){_Q}", r" \1 "),
    (r"\bquarter\(\w+\s*,\s*with_year\s*=\s*true\)\s*==\s*(\d{4})\.([1-4])", r" \1 q\2 "),
    (r">=\s*today\(\)\s*-\s*(\d+)", "TODAY_GE:\\1"),
    (r">\s*today\(\)\s*-\s*(\d+)", "TODAY_GT:\\1"),
    # what is measured
    (r"\(\s*(?:\w+\.)?close(?:d_at|_date)\s*-\s*(?:\w+\.)?created(?:_at|_date|_on)\s*\)(?:\.dt\.days)?|"
     r"as\.numeric\(\s*close(?:d_at|_date)\s*-\s*(?:as\.date\()?created_\w+\)?\s*\)", " days from creation to close "),
    (r"\bfirst\s*-\s*as\.date\(created_\w+\)|\bmin\(date\)", " days from creation to the first activity "),
    (rf"\.sum\(\)\s*/\s*\w+\.{_AMOUNT}\.sum\(\)|sum\({_AMOUNT}\[[^\]]+\]\)\s*/\s*sum\({_AMOUNT}\)", " as a share of the total "),
    (r"\bn\s*/\s*sum\(n\)", " share "), (r"\bcumsum\(", " 累计占比 ("),
    (rf"count\((\w+)\s*,\s*wt\s*=\s*{_AMOUNT}[^)]*\)", r" sum amount by \1 "),
    (rf"\.{_AMOUNT}\.sum\(\)|\[{_Q}{_AMOUNT}{_Q}\]\s*\.sum\(\)|\bsum\((?:\w+\$)?{_AMOUNT}\)|(?:\$){_AMOUNT}\)", " sum amount "),
    (rf"\.{_AMOUNT}\.mean\(\)|{_Q}{_AMOUNT}{_Q}\]\s*\.mean\(\)|\bmean\((?:\w+\$)?{_AMOUNT}\)", " average amount per deal "),
    (r"\.days\.mean\(\)|\bmean\(", " average "),
    (r"\btable\(\w+\$(\w+)\[", r" count by \1 ["),
    (r"\bcount\((?!\s*\))(\w+)[^)]*\)", r" count by \1 "),
    (r"\.size\(\)|\bnrow\(|\blen\(|\bn\(\)|\.shape\[0\]", " count "),
    # the cut
    (rf"\.groupby\(\s*\w+\.{_DATE_COL}\.dt\.month\)|floor_date\([^)]*{_Q}month{_Q}\)", " by month "),
    (rf"\.groupby\(\s*{_Q}?(?:\w+\.)?(\w+){_Q}?\s*\)", r" by \1 "),
    (r"\bgroup_by\((?:\w+\s*=\s*)?(\w+)", r" by \1 ("),
    # the ranking
    (r"\.nlargest\((\d+)\)|arrange\(desc\([^)]*\)\)\s*(?:%>%\s*)?head\((\d+)\)|\bhead\((\d+)\)", r" top \1\2\3 "),
    (r"\.nsmallest\((\d+)\)", r" bottom \1 "),
    (r"\.idxmax\(\)|\bwhich\.max\b|\bslice_max\(", " just the highest one "),
    (r"\.idxmin\(\)|\bwhich\.min\b|\bslice_min\(", " just the lowest one "),
    # the values filtered on
    (rf"\bteam\s*==\s*{_Q}([^'\"]+){_Q}", r" \1's team "),
    (rf"(?:\w+\.|\w+\$|\[{_Q})?\w+{_Q}?\]?\s*==\s*{_Q}([^'\"]+){_Q}", r" \1 "),
    (r"\breceipts\b", " received payments "), (r"%>%", " , "), (r"&", " and "),
)]
_RANGE = re.compile(rf">=\s*(?:as\.date\()?{_Q}?({DAY}){_Q}?\)?[^<>]{{0,60}}?<(=?)\s*(?:as\.date\()?{_Q}?({DAY}){_Q}?\)?")


def _range(m: re.Match[str]) -> str:
    return day_range(m.group(1), m.group(3), not m.group(2)) or m.group(0)  # '< 2017-07-01' ends on June 30


def code_forms(t: str) -> str:
    """`t` with pandas or R code in words."""
    t = _RANGE.sub(_range, t)
    for rx, repl in _RULES:
        t = rx.sub(repl, t)
    t = re.sub(r"TODAY_GE:(\d+)", lambda m: f" 近{int(m.group(1)) + 1}天 ", t)
    return re.sub(r"TODAY_GT:(\d+)", lambda m: f" 近{m.group(1)}天 ", t)
