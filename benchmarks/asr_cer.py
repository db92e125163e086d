"""ASR accuracy and speed: the Dealwise pipeline against bare faster-whisper, same model, same process.

    .venv/bin/python benchmarks/asr_cer.py [--data ../shared/data] [--json docs/bench/asr.json] [--only dev01]

For every dev call (.wav, _8k.mp3, _stereo.m4a) and the two AISHELL-1 clips: CER (after the same
normalisation on both sides: Simplified, Arabic amounts, no punctuation), entity words right, and the
real-time factor. Bare = `WhisperModel.transcribe(path, language="zh", beam_size=5, vad_filter=True)`
on the embedded Whisper base, int8, the configured threads. The pipeline gets the org profile
(org.json) and the CRM context the rep would upload against (the demo CRM's account, contacts and
rep for that call), nothing else; nothing is tuned per file. Overhead = pipeline time outside the
model (decode, guards, corrections) / model time. Speed is given as wall-clock RTF and as CPU-time RTF
(process CPU seconds, all threads, per audio second): on a shared machine the CPU-time ratio is the fair one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.call_context import CALL_CONTEXT, crm_vocab  # noqa: E402
from crm.settings import get_settings  # noqa: E402
from transcription.engine import EngineResult, FasterWhisperEngine, RawSegment  # noqa: E402
from transcription.model_cache import resolve_model  # noqa: E402
from transcription.pipeline import TranscribeOptions, Transcriber  # noqa: E402
from transcription.textnorm import cer, cer_normalize  # noqa: E402
from transcription.vocab import Vocabulary, from_org_json  # noqa: E402


class TimedEngine:
    """Wraps an engine and adds up the time spent inside it (including lazy segment decoding)."""

    def __init__(self, inner: FasterWhisperEngine) -> None:
        self.inner, self.name, self.seconds = inner, inner.name, 0.0

    def transcribe(self, samples: Any, options: Any) -> EngineResult:
        t0 = time.perf_counter()
        res = self.inner.transcribe(samples, options)
        self.seconds += time.perf_counter() - t0

        def timed(it: Iterator[RawSegment]) -> Iterator[RawSegment]:
            while True:
                t = time.perf_counter()
                try:
                    seg = next(it)
                except StopIteration:
                    self.seconds += time.perf_counter() - t
                    return
                self.seconds += time.perf_counter() - t
                yield seg

        return EngineResult(res.language, res.duration, timed(res.segments))


def reference(path: Path) -> str:
    return "".join(line.split("：", 1)[-1] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def entity_hits(terms: list[str], ref: str, hyp: str) -> tuple[int, int]:
    r, h = cer_normalize(ref), cer_normalize(hyp)
    total = right = 0
    for term in sorted(set(terms), key=len, reverse=True):
        t = cer_normalize(term)
        n = r.count(t)
        if n and len(t) >= 2:
            total += n
            right += min(n, h.count(t))
    return right, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", nargs="*", default=[])
    args = ap.parse_args()
    settings = get_settings()
    model = resolve_model(settings.asr_model, settings.models_dir)
    engine = FasterWhisperEngine(model, settings.asr_device, settings.asr_compute_type, settings.asr_threads)
    timed = TimedEngine(engine)
    pipeline = Transcriber(timed)
    calls = args.data / "calls"
    org = from_org_json(calls / "org.json")
    org_terms = [*org.company_names, *org.products, *org.competitors]
    jobs: list[tuple[str, Path, str, Vocabulary, list[str]]] = []
    for name, user in CALL_CONTEXT.items():
        vocab = crm_vocab(org, user)
        terms = org_terms + replace(vocab, glossary=False).correction_names()
        ref = reference(calls / f"{name}.txt")
        for suffix in (".wav", "_8k.mp3", "_stereo.m4a"):
            jobs.append((name + suffix, calls / f"{name}{suffix}", ref, vocab, terms))
    aishell = {"BAC009S0764W0121.wav": "甚至出现交易几乎停滞的情况", "BAC009S0764W0122.wav": "一二线城市虽然也处于调整中"}
    for fname, ref in aishell.items():
        jobs.append((fname, args.data / "asr" / fname, ref, org, []))
    if args.only:
        jobs = [j for j in jobs if any(o in j[0] for o in args.only)]

    warm = args.data / "asr" / "BAC009S0764W0121.wav"  # load jieba/pypinyin and warm the model once, untimed
    list(engine.model.transcribe(str(warm), language="zh", vad_filter=True)[0])
    pipeline.transcribe(warm, TranscribeOptions(vocabulary=org))
    rows: list[dict[str, Any]] = []
    for i, (label, path, ref, vocab, terms) in enumerate(jobs):
        cpu: dict[str, float] = {}

        def bare(path: Path = path, cpu: dict[str, float] = cpu) -> tuple[str, float]:
            t0, c0 = time.perf_counter(), time.process_time()
            segs, _info = engine.model.transcribe(str(path), language="zh", beam_size=settings.asr_beam_size,
                                                  vad_filter=True)
            text = "".join(s.text for s in segs)
            cpu["bare"] = time.process_time() - c0
            return text, time.perf_counter() - t0

        def ours(path: Path = path, vocab: Vocabulary = vocab, cpu: dict[str, float] = cpu) -> tuple[str, float, float]:
            timed.seconds = 0.0
            t0, c0 = time.perf_counter(), time.process_time()
            tr = pipeline.transcribe(path, TranscribeOptions(language="zh", vocabulary=vocab,
                                                             beam_size=settings.asr_beam_size))
            cpu["ours"] = time.process_time() - c0
            return tr.text, time.perf_counter() - t0, timed.seconds

        if i % 2 == 0:  # alternate the order so machine noise does not favour one side
            b_text, b_s = bare()
            p_text, p_s, m_s = ours()
        else:
            p_text, p_s, m_s = ours()
            b_text, b_s = bare()
        from transcription.audio import probe

        dur = probe(path).duration or 1.0
        b_cer, p_cer = cer(ref, b_text)[0], cer(ref, p_text)[0]
        b_ent, p_ent = entity_hits(terms, ref, b_text), entity_hits(terms, ref, p_text)
        row: dict[str, Any] = {"file": label, "duration_s": round(dur, 2), "bare_cer": round(b_cer, 4), "cer": round(p_cer, 4),
               "bare_entities": b_ent, "entities": p_ent, "bare_rtf": round(b_s / dur, 3),
               "rtf": round(p_s / dur, 3), "overhead": round((p_s - m_s) / m_s, 3) if m_s else None,
               "bare_cpu_rtf": round(cpu["bare"] / dur, 3), "cpu_rtf": round(cpu["ours"] / dur, 3),
               "hyp": p_text, "bare_hyp": b_text}
        rows.append(row)
        print(f"{label:24s} CER bare {b_cer:6.1%} → {p_cer:6.1%}  entities {b_ent[0]}/{b_ent[1]} → "
              f"{p_ent[0]}/{p_ent[1]}  RTF bare {b_s / dur:.3f} ours {p_s / dur:.3f}  "
              f"overhead {row['overhead']}  CPU-time RTF bare {row['bare_cpu_rtf']} ours {row['cpu_rtf']}", flush=True)

    def mean(key: str, suffix: str) -> float | None:
        vals = [r[key] for r in rows if r["file"].endswith(suffix) and r["file"].startswith("dev")]
        return round(sum(vals) / len(vals), 4) if vals else None

    def ent(key: str) -> list[int]:
        return [sum(r[key][0] for r in rows), sum(r[key][1] for r in rows)]

    model_s = sum(r["rtf"] * r["duration_s"] for r in rows)
    summary = {
        "mean_cer_wav": mean("cer", ".wav"), "bare_mean_cer_wav": mean("bare_cer", ".wav"),
        "mean_cer_8k_mp3": mean("cer", "_8k.mp3"), "bare_mean_cer_8k_mp3": mean("bare_cer", "_8k.mp3"),
        "mean_cer_stereo_m4a": mean("cer", "_stereo.m4a"), "bare_mean_cer_stereo_m4a": mean("bare_cer", "_stereo.m4a"),
        "entities": ent("entities"), "bare_entities": ent("bare_entities"),
        "rtf_total": round(model_s / sum(r["duration_s"] for r in rows), 3),
        "bare_rtf_total": round(sum(r["bare_rtf"] * r["duration_s"] for r in rows) / sum(r["duration_s"] for r in rows), 3),
        "mean_overhead": round(sum(r["overhead"] or 0 for r in rows) / len(rows), 3),
    }
    for suffix in (".wav", "_8k.mp3", "_stereo.m4a"):  # ours / bare, duration-weighted, wall and CPU time
        sel = [r for r in rows if r["file"].endswith(suffix) and r["file"].startswith("dev")]
        if sel:
            summary[f"rtf_ratio{suffix}"] = round(sum(r["rtf"] * r["duration_s"] for r in sel)
                                                 / sum(r["bare_rtf"] * r["duration_s"] for r in sel), 3)
            summary[f"cpu_rtf_ratio{suffix}"] = round(sum(r["cpu_rtf"] * r["duration_s"] for r in sel)
                                                     / sum(r["bare_cpu_rtf"] * r["duration_s"] for r in sel), 3)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "files": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
