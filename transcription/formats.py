"""Render a Transcript as json, txt, srt or WebVTT."""

from __future__ import annotations

from typing import Literal

from transcription.types import Transcript

Format = Literal["json", "txt", "srt", "vtt"]
FORMATS: tuple[str, ...] = ("json", "txt", "srt", "vtt")
MEDIA_TYPES = {"json": "application/json", "txt": "text/plain; charset=utf-8",
               "srt": "application/x-subrip; charset=utf-8", "vtt": "text/vtt; charset=utf-8"}
SPEAKER_ZH = {"rep": "销售", "customer": "客户", "unknown": "未知"}


def _ts(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(transcript: Transcript, fmt: str) -> str:
    if fmt == "json":
        return transcript.model_dump_json(indent=1, exclude_none=True)
    if fmt == "txt":
        return "".join(f"{SPEAKER_ZH.get(s.speaker, s.speaker)}：{s.text}\n" for s in transcript.segments)
    if fmt == "srt":
        blocks = [f"{i}\n{_ts(s.start, ',')} --> {_ts(s.end, ',')}\n[{SPEAKER_ZH.get(s.speaker, s.speaker)}] {s.text}\n"
                  for i, s in enumerate(transcript.segments, 1)]
        return "\n".join(blocks)
    if fmt == "vtt":
        cues = [f"{_ts(s.start, '.')} --> {_ts(s.end, '.')}\n<v {s.speaker}>{s.text}\n" for s in transcript.segments]
        return "WEBVTT\n\n" + "\n".join(cues)
    raise ValueError(f"unknown transcript format {fmt!r}; choose one of {', '.join(FORMATS)}")
