"""The transcript types that flow out of transcription and into insights and retrieval."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Speaker = Literal["rep", "customer", "unknown"]


class Word(BaseModel):
    """One recognised word (or CJK character group) with its timing."""

    start: float
    end: float
    word: str
    probability: float | None = None


class Segment(BaseModel):
    """One turn or sentence: start/end in seconds from the start of the call."""

    start: float
    end: float
    speaker: Speaker = "unknown"
    text: str
    words: list[Word] | None = None


class Transcript(BaseModel):
    """A whole call: `text` is the segments' text joined, one turn a line."""

    language: str = "zh"
    duration: float = 0.0
    segments: list[Segment] = Field(default_factory=list)
    text: str = ""

    @classmethod
    def from_segments(cls, segments: list[Segment], language: str = "zh", duration: float | None = None) -> Transcript:
        dur = duration if duration is not None else (max((s.end for s in segments), default=0.0))
        return cls(
            language=language,
            duration=round(dur, 3),
            segments=segments,
            text="\n".join(s.text for s in segments),
        )
