"""Context-aware restoration of vendor names (our products, competitors) that Whisper heard as other words.

The pinyin corrector (transcription.correct) never overwrites an ordinary word: 又有 stays 又有, because
"again there is" is what most speech means. In a sales call, though, a stretch that *sounds* like a tracked
vendor and *sits where a vendor is named* is the vendor: "又有那边也会来投标" is 用友那边…, "我们的电话通和服务通"
is 订货通和服务通. So a near-sounding stretch is replaced only when the words around it say it names a vendor:

* a cue right after it (那边, 那家, 的产品, 的系统, 也在, 也来…) or right before it (用的是, 在用, 对比, 除了…);
* or another known vendor/product name joined to it by 和/跟/与/、.

Sound match (toneless, fuzzy pinyin): two-character names may differ in one syllable that starts with the
same letter (you/yong); longer names must keep every syllable's initial and at least one character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transcription.correct import _fuzzy, _py

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
CUE_AFTER = ("那边", "那家", "家的", "的产品", "的系统", "的方案", "的报价", "的软件", "也在", "也来", "也会",
             "他们", "公司")
CUE_BEFORE = ("用的是", "在用", "用过", "换成", "对比", "比较", "接触", "竞品", "也在看", "还在看", "看过",
              "除了", "选了", "选的是")
JOINERS = ("和", "跟", "与", "、")


def _sounds_like(name: str, stretch: str) -> bool:
    a = [_fuzzy(p) for p in _py(name)]
    b = [_fuzzy(p) for p in _py(stretch)]
    if len(a) != len(b):
        return False
    if len(a) == 2:
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diff) <= 1 and all(x[0] == y[0] for x, y in diff)
    same_initials = all(x[0] == y[0] for x, y in zip(a, b, strict=True))
    return same_initials and any(c == d for c, d in zip(name, stretch, strict=True))


class VendorContextCorrector:
    """Restore vendor names from near-sounding stretches, only where the context names a vendor."""

    def __init__(self, vendors: Iterable[str]) -> None:
        self.vendors = sorted({v.strip() for v in vendors if v and 2 <= len(v.strip()) <= 6
                               and _CJK.match(v.strip())}, key=len, reverse=True)

    def _cued(self, before: str, after: str) -> bool:
        if after.startswith(CUE_AFTER) or before.endswith(CUE_BEFORE):
            return True
        for j in JOINERS:
            if after.startswith(j) and after[len(j):].startswith(tuple(self.vendors)):
                return True
            if before.endswith(j) and before[: -len(j)].endswith(tuple(self.vendors)):
                return True
        return False

    def correct(self, text: str) -> str:
        if not self.vendors or not text:
            return text
        taken = [False] * len(text)
        for v in self.vendors:  # existing, correctly spelled names are never touched
            for m in re.finditer(re.escape(v), text):
                taken[m.start():m.end()] = [True] * len(v)
        out, i = [], 0
        while i < len(text):
            for v in self.vendors:
                n = len(v)
                stretch = text[i:i + n]
                if (len(stretch) == n and stretch != v and _CJK.match(stretch) and not any(taken[i:i + n])
                        and _sounds_like(v, stretch) and self._cued(text[:i], text[i + n:])):
                    out.append(v)
                    i += n
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)
