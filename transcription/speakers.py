"""Who spoke: per-channel labels for stereo calls, self-introduction for mono calls.

Stereo recordings from call systems put the rep on one channel and the customer on the other;
the louder channel of each stretch names its speaker (transcription.channel_turns). Mono calls have no diarization here (see
docs/transcription.md): a segment in which the speaker introduces themself as our company is
labelled `rep`, and everything else stays `unknown` rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from transcription.types import Segment, Speaker


def channels_identical(samples: np.ndarray, tol: float = 1e-3) -> bool:
    """True for 'fake stereo' (both channels carry the same signal), which is handled as mono."""
    if samples.shape[0] < 2 or samples.shape[1] == 0:
        return True
    a, b = samples[0], samples[1]
    diff = float(np.sqrt(np.mean(np.square(a - b))))
    level = float(np.sqrt(np.mean(np.square(a)) + np.mean(np.square(b)))) or 1.0
    return diff / level < tol


def channel_speaker(channel: int, rep_channel: str) -> Speaker:
    rep_index = 0 if rep_channel == "left" else 1
    return "rep" if channel == rep_index else "customer"


def intro_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """Regex for a self-introduction naming our company: 我是云启科技的…, 这里是云启…, 我们是云启."""
    escaped = [re.escape(n) for n in sorted((n for n in names if n), key=len, reverse=True)]
    if not escaped:
        return None
    return re.compile(rf"(我是|我们是|这里是|这边是|我这边是|我叫|我在)\s*({'|'.join(escaped)})")


def label_mono(segments: list[Segment], company_names: Sequence[str]) -> list[Segment]:
    """Mark self-introduction segments as the rep; leave the rest `unknown` (no diarization guesses)."""
    pattern = intro_pattern(company_names)
    if pattern is None:
        return segments
    for seg in segments:
        if pattern.search(seg.text):
            seg.speaker = "rep"
    return segments
