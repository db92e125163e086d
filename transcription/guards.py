"""Hallucination guards: drop non-speech and junk segments, stop repetition loops, keep timestamps true."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from transcription.engine import RawSegment
from transcription.textnorm import cer_normalize

# Phrases Whisper learned from subtitled videos and emits over silence or music.
_SUBTITLE_PATTERNS = [
    r"字幕.{0,12}(amara|提供|志愿者|制作|校对|翻译)",
    r"amara\.?org",
    r"(请|欢迎)?不吝点赞",
    r"点赞.{0,4}订阅",
    r"订阅.{0,6}(频道|转发|打赏)",
    r"明镜与点点",
    r"优优独播剧场",
    r"^(谢谢|感谢)(大家)?(观看|收看|收听)$",
    r"^(中文)?字幕(组)?$",
    r"^(本期)?节目(到此)?结束$",
]
_SUBTITLE_RE = re.compile("|".join(_SUBTITLE_PATTERNS), re.IGNORECASE)
_LOOP_RE = re.compile(r"(.{1,12}?)(?:[，,、。\s]*\1){3,}")


def is_subtitle_phrase(text: str) -> bool:
    return bool(_SUBTITLE_RE.search(cer_normalize(text)) or _SUBTITLE_RE.search(text.strip()))


def collapse_loops(text: str, keep: int = 2) -> str:
    """Cut a phrase repeated four or more times in a row down to `keep` copies (好的好的好的好的… → 好的好的)."""

    def _sub(m: re.Match[str]) -> str:
        unit = m.group(1)
        sep = "，" if re.search(r"[\u4e00-\u9fff]", unit) and len(unit) > 2 else ""
        return sep.join([unit] * keep)

    return _LOOP_RE.sub(_sub, text)


def is_low_confidence(seg: RawSegment, no_speech: float = 0.6, logprob: float = -1.0) -> bool:
    """Whisper's own skip rule, also applied after decoding: likely silence and an unsure decode."""
    return seg.no_speech_prob > no_speech and seg.avg_logprob < logprob


def guard_segments(
    segments: Iterable[RawSegment], *, max_repeats: int = 2, min_logprob: float = -1.5
) -> Iterator[RawSegment]:
    """Filter a lazy stream of segments; text may be shortened but start/end are never moved."""
    last_key = None
    repeats = 0
    for seg in segments:
        text = seg.text.strip()
        if not text or is_subtitle_phrase(text) or is_low_confidence(seg):
            continue
        if seg.avg_logprob < min_logprob and seg.compression_ratio > 2.0:
            continue  # a degenerate decode: very unsure and highly repetitive
        text = collapse_loops(text)
        key = cer_normalize(text)
        if not key:
            continue
        if key == last_key:
            repeats += 1
            if repeats >= max_repeats:
                continue  # the same line over and over: a decoding loop, not speech
        else:
            last_key, repeats = key, 0
        seg.text = text
        yield seg
