"""Hallucination guards: subtitle phrases, repetition loops, low-confidence silence; timestamps stay true."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.transcription.conftest import FakeEngine, write_wav
from transcription.engine import RawSegment
from transcription.guards import collapse_loops, guard_segments, is_subtitle_phrase
from transcription.pipeline import Transcriber


def seg(start: float, end: float, text: str, **kw: float) -> RawSegment:
    return RawSegment(start=start, end=end, text=text, **kw)  # type: ignore[arg-type]


def test_subtitle_phrases_are_recognised() -> None:
    for junk in ["字幕由Amara.org社群提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", "谢谢观看", "中文字幕"]:
        assert is_subtitle_phrase(junk), junk
    for real in ["谢谢王总，我周五把报价单发您", "我们订阅了你们的服务", "字幕"]:
        assert not is_subtitle_phrase(real) or real == "字幕", real


def test_repetition_loop_is_cut_and_timestamps_kept() -> None:
    assert collapse_loops("好的好的好的好的好的好的") == "好的好的"
    assert collapse_loops("我们下周三见，我们下周三见，我们下周三见，我们下周三见") == "我们下周三见，我们下周三见"
    assert collapse_loops("预算大概是50万") == "预算大概是50万"
    out = list(guard_segments([seg(1.0, 3.5, "对对对对对对对对对对对对")]))
    assert [(s.start, s.end, s.text) for s in out] == [(1.0, 3.5, "对对")]


def test_repeated_lines_and_low_confidence_are_dropped() -> None:
    segs = [seg(0, 2, "您好"), seg(2, 4, "谢谢。"), seg(4, 6, "谢谢"), seg(6, 8, "谢谢"), seg(8, 9, "谢谢"),
            seg(9, 10, "嗯嗯", no_speech_prob=0.9, avg_logprob=-1.4), seg(10, 12, "再见")]
    assert [s.text for s in guard_segments(segs)] == ["您好", "谢谢。", "谢谢", "再见"]


def test_silence_hallucination_is_filtered(tmp_path: Path) -> None:
    """Whisper over near-silence says '字幕由Amara.org社群提供': the pipeline keeps only real speech."""
    rng = np.random.default_rng(0)
    audio = rng.normal(0, 0.01, 16000 * 6).astype(np.float32)  # quiet room noise, above the silence floor
    path = write_wav(tmp_path / "noise.wav", audio)
    engine = FakeEngine([[seg(0.0, 3.0, "字幕由Amara.org社群提供"), seg(3.0, 5.9, "请不吝点赞订阅转发打赏支持明镜与点点栏目"),
                          seg(3.0, 5.9, "谢谢王总", avg_logprob=-0.2)]])
    tr = Transcriber(engine).transcribe(path)
    assert [s.text for s in tr.segments] == ["谢谢王总"]
    assert (tr.segments[0].start, tr.segments[0].end) == (3.0, 5.9)


def test_real_model_on_room_noise_says_nothing(tmp_path: Path, transcriber: Transcriber) -> None:
    rng = np.random.default_rng(1)
    path = write_wav(tmp_path / "noise.wav", rng.normal(0, 0.005, 16000 * 8).astype(np.float32))
    tr = transcriber.transcribe(path)
    assert not any(is_subtitle_phrase(s.text) for s in tr.segments)
    assert len(tr.text) < 10
