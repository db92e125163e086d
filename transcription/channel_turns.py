"""Stereo calls in one pass: transcribe the downmix, then give each stretch to the louder channel.

Call systems record one party per channel. Two channel passes cost twice the model time; instead the
pipeline decodes the downmix once (as bare faster-whisper does with a stereo file) and reads who spoke from
the channels' energy: within a segment, every voiced 100 ms frame belongs to the louder channel, short
flips (< 0.4 s of voice) are smoothed away, and a segment spanning a change of speaker is cut there. With
word timestamps each word goes to its channel; without them the text is cut at the punctuation mark
nearest to where the change falls in proportion to the voiced time (Mandarin is spoken at a steady
rate), and the cut's times come from the audio. Cross-talk (a faint copy of one party on the other
channel) never wins a frame, so it is never transcribed twice.
"""

from __future__ import annotations

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.engine import RawSegment, RawWord

FRAME = SAMPLE_RATE // 10
MIN_RUN_S = 0.4  # a channel must hold this much voiced time to count as a turn
PUNCT = "，。？！、；：,.?!;:"


def channel_runs(samples: np.ndarray, start: float, end: float) -> list[tuple[int, float, float, float]]:
    """(channel, start, end, voiced seconds) runs of the louder channel over [start, end], smoothed."""
    lo = max(0, int(start * SAMPLE_RATE))
    hi = min(samples.shape[1], max(int(end * SAMPLE_RATE), lo + FRAME))
    n = (hi - lo) // FRAME
    if n == 0:
        return []
    frames = samples[:2, lo : lo + n * FRAME].reshape(2, n, FRAME)
    rms = np.sqrt(np.square(frames).mean(axis=2))
    loud = rms.max(axis=0)
    voiced = loud > max(0.1 * float(loud.max()), 1e-4)
    runs: list[list[float]] = []  # [channel, start, end, voiced seconds]
    for i in np.flatnonzero(voiced):
        ch = int(rms[1, i] > rms[0, i])
        t0 = (lo + i * FRAME) / SAMPLE_RATE
        if runs and runs[-1][0] == ch:
            runs[-1][2], runs[-1][3] = t0 + 0.1, runs[-1][3] + 0.1
        else:
            runs.append([ch, t0, t0 + 0.1, 0.1])
    while len(runs) > 1:  # fold the shortest too-short run into its neighbour
        k = min(range(len(runs)), key=lambda j: runs[j][3])
        if runs[k][3] >= MIN_RUN_S:
            break
        j = k - 1 if k > 0 else k + 1
        a, b = sorted((j, k))
        merged = [runs[j][0], runs[a][1], runs[b][2], runs[a][3] + runs[b][3]]
        runs[a : b + 1] = [merged]
        m = 0
        while m < len(runs) - 1:  # neighbours of the same channel join
            if runs[m][0] == runs[m + 1][0]:
                runs[m : m + 2] = [[runs[m][0], runs[m][1], runs[m + 1][2], runs[m][3] + runs[m + 1][3]]]
            else:
                m += 1
    return [(int(r[0]), r[1], r[2], r[3]) for r in runs]


def split_by_channel(samples: np.ndarray, raw: RawSegment) -> list[tuple[RawSegment, int]]:
    """Cut one downmix segment into (segment, channel) turns by channel energy."""
    runs = channel_runs(samples, raw.start, raw.end)
    if len(runs) <= 1:
        return [(raw, runs[0][0] if runs else 0)]
    if raw.words:
        return _by_words(samples, raw, runs)
    return _by_text(raw, runs)


def _by_words(samples: np.ndarray, raw: RawSegment, runs: list[tuple[int, float, float, float]]
              ) -> list[tuple[RawSegment, int]]:
    groups: list[tuple[int, list[RawWord]]] = []
    for w in raw.words or []:
        mid = (w.start + w.end) / 2
        ch = min(runs, key=lambda r: 0.0 if r[1] <= mid <= r[2] else min(abs(mid - r[1]), abs(mid - r[2])))[0]
        if groups and groups[-1][0] == ch:
            groups[-1][1].append(w)
        else:
            groups.append((ch, [w]))
    return [(RawSegment(start=ws[0].start, end=ws[-1].end, text="".join(w.word for w in ws).strip(),
                        avg_logprob=raw.avg_logprob, no_speech_prob=raw.no_speech_prob,
                        compression_ratio=raw.compression_ratio, words=ws), ch)
            for ch, ws in groups if "".join(w.word for w in ws).strip()]


def _by_text(raw: RawSegment, runs: list[tuple[int, float, float, float]]) -> list[tuple[RawSegment, int]]:
    text = raw.text.strip()
    total = sum(r[3] for r in runs)
    cuts, voiced = [0], 0.0
    for r in runs[:-1]:
        voiced += r[3]
        guess = round(voiced / total * len(text))
        near = [i + 1 for i, c in enumerate(text) if c in PUNCT and abs(i + 1 - guess) <= 4 and i + 1 > cuts[-1]]
        cuts.append(min(near, key=lambda i: abs(i - guess)) if near else max(guess, cuts[-1]))
    cuts.append(len(text))
    out: list[tuple[RawSegment, int]] = []
    for (ch, t0, t1, _v), a, b in zip(runs, cuts[:-1], cuts[1:], strict=True):
        part = text[a:b].strip()
        if not part:
            continue
        if out and out[-1][1] == ch:
            prev = out[-1][0]
            prev.text, prev.end = prev.text + part, t1
            continue
        out.append((RawSegment(start=t0, end=t1, text=part, avg_logprob=raw.avg_logprob,
                               no_speech_prob=raw.no_speech_prob, compression_ratio=raw.compression_ratio), ch))
    return out or [(raw, runs[0][0])]
