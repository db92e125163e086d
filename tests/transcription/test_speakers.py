"""Speakers: stereo channels labelled rep/customer (rep channel configurable); mono by self-introduction."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.transcription.conftest import W0121_REF, W0122_REF, FakeEngine, write_wav
from transcription.audio import decode_all
from transcription.engine import RawSegment, RawWord
from transcription.pipeline import TranscribeOptions, Transcriber
from transcription.speakers import channels_identical, label_mono
from transcription.textnorm import cer
from transcription.types import Segment


def test_stereo_split_real_model(audio_dir: Path, transcriber: Transcriber) -> None:
    tr = transcriber.transcribe(audio_dir / "stereo_w0121_w0122.m4a", TranscribeOptions(rep_channel="left"))
    assert [s.speaker for s in tr.segments] == ["rep", "customer"]
    rep, cust = tr.segments
    assert rep.end <= cust.start + 0.5  # ordered by time across channels
    assert cer(W0121_REF, rep.text)[0] < 0.25 and cer(W0122_REF, cust.text)[0] < 0.45


def test_rep_channel_right_swaps_labels(audio_dir: Path, tmp_path: Path) -> None:
    engine = FakeEngine([[RawSegment(0.2, 4.0, "甚至出现交易几乎停滞的情况"), RawSegment(5.0, 9.0, "一二线城市")]])
    tr = Transcriber(engine).transcribe(audio_dir / "stereo_w0121_w0122.m4a", TranscribeOptions(rep_channel="right"))
    assert [s.speaker for s in tr.segments] == ["customer", "rep"]
    assert len(engine.calls) == 1  # one pass over the downmix, not one per channel


def test_segment_spanning_both_parties_is_cut_at_the_turn(audio_dir: Path) -> None:
    engine = FakeEngine([[RawSegment(0.2, 9.0, "甚至出现交易几乎停滞的情况，一二线城市虽然也处于调整中")]])
    tr = Transcriber(engine).transcribe(audio_dir / "stereo_w0121_w0122.m4a", TranscribeOptions(rep_channel="left"))
    assert [(s.speaker, s.text) for s in tr.segments] == [("rep", "甚至出现交易几乎停滞的情况，"),
                                                          ("customer", "一二线城市虽然也处于调整中")]
    rep, cust = tr.segments
    assert 3.5 < rep.end < 4.6 and 4.6 < cust.start < 5.5  # the cut's times come from the audio


def test_words_go_to_their_channel(audio_dir: Path) -> None:
    words = [RawWord(0.3, 2.0, "甚至出现交易", 0.9), RawWord(2.0, 4.0, "几乎停滞", 0.9),
             RawWord(5.2, 7.0, "一二线城市", 0.9), RawWord(7.0, 9.0, "虽然也处于调整中", 0.9)]
    engine = FakeEngine([[RawSegment(0.3, 9.0, "".join(w.word for w in words), words=words)]])
    opts = TranscribeOptions(rep_channel="left", word_timestamps=True)
    tr = Transcriber(engine).transcribe(audio_dir / "stereo_w0121_w0122.m4a", opts)
    assert [(s.speaker, s.text, s.start) for s in tr.segments] == [("rep", "甚至出现交易几乎停滞", 0.3),
                                                                   ("customer", "一二线城市虽然也处于调整中", 5.2)]


def test_identical_channels_are_mono(tmp_path: Path, audio_dir: Path) -> None:
    mono = decode_all(audio_dir / "w0121.wav")[0]
    path = write_wav(tmp_path / "fake_stereo.wav", np.stack([mono, mono]))
    assert channels_identical(decode_all(path, 2))
    engine = FakeEngine([[RawSegment(0.1, 4.0, "您好，我是云启科技的李明")]])
    Transcriber(engine).transcribe(path, TranscribeOptions())
    assert len(engine.calls) == 1


def test_channel_bleed_is_not_transcribed_twice(tmp_path: Path, audio_dir: Path) -> None:
    mono = decode_all(audio_dir / "w0121.wav")[0]
    path = write_wav(tmp_path / "bleed.wav", np.stack([mono, 0.05 * mono]))  # the rep leaks into the right channel
    engine = FakeEngine([[RawSegment(0.1, 4.0, "甚至出现交易几乎停滞的情况")]])
    tr = Transcriber(engine).transcribe(path)
    assert [(s.speaker, s.text) for s in tr.segments] == [("rep", "甚至出现交易几乎停滞的情况")]


def test_mono_labels_self_introduction_only() -> None:
    segs = [Segment(start=0, end=3, text="王总您好，我是云启科技的李明。"), Segment(start=3, end=5, text="你好李经理。"),
            Segment(start=5, end=8, text="这里是云启，跟您确认一下演示时间。")]
    out = label_mono(segs, ["云启科技", "云启"])
    assert [s.speaker for s in out] == ["rep", "unknown", "rep"]
    assert [s.speaker for s in label_mono([Segment(start=0, end=1, text="我是销售易的")], ["云启科技"])] == ["unknown"]
