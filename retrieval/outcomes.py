"""A share of one outcome among two, read from the question's shape rather than its words.

Among the catalog's metrics only the win rate is X ÷ (X + Y): deals won over deals won plus lost. A question of that
shape is the win rate whatever its words for the two outcomes are ('毕业的占毕业加退学的几成', 'the ratio of
graduates to graduates plus dropouts', 'of the deals that either closed or fell through, what share closed',
'what fraction did we land rather than lose'), so a register the parser has never seen still reads."""

from __future__ import annotations

from retrieval.rx_fast import compile_fast

_ZH_PART = r"(?:的|数量|数|件数|单子|单|个数)*"
_SHAPES = compile_fast(
    # X占X加Y, X除以(X加Y), X数占X和Y总数
    rf"(?P<x>[\u4e00-\u9fff]{{1,4}}?){_ZH_PART}(?:占|除以|÷|/|比)了?\s*[(（]?\s*(?P=x){_ZH_PART}\s*(?:加上?|和|与|跟|\+)\s*[\u4e00-\u9fff]{{1,4}}|"
    # X的和Y的放一起算，X的占几成
    r"(?P<x2>[\u4e00-\u9fff]{2,3})的?(?:和|与|跟|加)[\u4e00-\u9fff]{2,3}的?(?:(?!额|钱)[^，,。？?]){0,10}[，,]\s*(?P=x2)的?(?:占|比例|比重)|"
    # X / (X + Y), X to X plus Y, X over X and Y
    r"\b(?P<x3>[a-z]+)(?: count| number)?\s*(?:/|÷|divided by|to|over|out of|against)\s*[(（]?\s*(?P=x3)(?: count| number)?[\s-]*"
    r"(?:\+|plus|and)[\s-]*[a-z]|"
    # (either) X or Y … what share X; what share X rather than Y
    r"\b(?:either\s+)?(?:an?\s+)?(?P<x4>[a-z][a-z-]+)\s+or\s+[a-z][a-z -]{1,20}?\b[^?]{0,40}?\bwhat (?:fraction|share|proportion|"
    r"percent(?:age)?|part|portion|ratio)(?: of them)?\s+(?:(?:were|was|are|is)\s+)?(?:an?\s+)?(?:(?:actually|really|finally)\s+)?(?P=x4)\b|"
    r"\bwhat (?:fraction|share|proportion|percent(?:age)?|part|portion)\b[^?]{0,30}?\b[a-z]+ (?:rather than|instead of|versus|vs\.?) [a-z]|"
    # 'does the worst at winning versus losing the deals it closes'
    r"\b(?:winning|wins?|won)\s+(?:versus|vs\.?|against|compared (?:to|with)|relative to)\s+(?:losing|loss(?:es)?|lost)\b|"
    r"\binto (?:wins?|won) rather than (?:losses|losing|lost)\b")
_HINT = compile_fast(r"占|除以|÷|/|\bplus\b|\bagainst\b|-plus-|\+|\bor\b|\brather than\b|\binstead of\b|\bversus\b|\bvs\b|\bover\b|\bout of\b|比例|比重")


def two_outcomes(text: str) -> bool:
    """Whether the question asks for one outcome's share of two ('X ÷ (X + Y)'); `text` is normalised."""
    return bool(_HINT.search(text)) and bool(_SHAPES.search(text))
