"""Model folders (model files + model card JSON/Markdown + reliability PNG) and the versioned registry
under `{data_dir}/scoring/models/`, with the active version named explicitly in `{data_dir}/scoring/ACTIVE`."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scoring.calibration import reliability_diagram
from scoring.gbm import GBMModel
from scoring.naive_bayes import NaiveBayesModel
from scoring.types import ModelCard, ScoringInputError

WinModel = GBMModel | NaiveBayesModel
_VERSION = re.compile(r"^[A-Za-z0-9._-]{1,80}$")


@dataclass
class Loaded:
    model: WinModel
    card: ModelCard
    folder: Path


def card_markdown(card: ModelCard) -> str:
    m = card.metrics
    auc = f"{m.auc:.3f}" if m.auc is not None else "n/a"
    lines = [
        f"# Model card {card.version}",
        "",
        f"- model: **{card.kind}** ({card.why})",
        f"- trained: {card.created_at:%Y-%m-%d %H:%M} UTC in {card.train_seconds:.1f} s; source: {card.source}",
        f"- target: {card.target} = {card.positive!r}; data range: {card.data_start or '?'} … {card.data_end or '?'}",
        f"- examples: {card.n_examples} ({card.n_positive} positive, {card.n_negative} negative, {card.n_groups} groups)",
        f"- metrics ({card.metrics_note}): AUC {auc}, Brier {m.brier:.4f}, ECE {m.ece:.4f}, "
        f"accuracy@0.5 {m.accuracy:.3f}, n {m.n}",
        "- reliability diagram: reliability.png",
        "",
        "## Dropped by the leakage guard",
        *([f"- {d.column}: {d.reason}" for d in card.dropped] or ["- none"]),
        "",
        "## Feature importances",
        *[f"- {k}: {v:.3f}" for k, v in list(card.importances.items())[:25]],
    ]
    return "\n".join(lines) + "\n"


def save(folder: Path, model: WinModel, card: ModelCard, y_oof: np.ndarray, p_oof: np.ndarray) -> Path:
    """Write a model folder atomically (a temp folder renamed into place)."""
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    model.save(tmp)
    (tmp / "card.json").write_text(card.model_dump_json(indent=2))
    (tmp / "card.md").write_text(card_markdown(card))
    reliability_diagram(y_oof, p_oof, tmp / "reliability.png", title=f"{card.version} ({card.kind})")
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder


def load(folder: Path | str) -> Loaded:
    folder = Path(folder)
    meta_path = folder / "model.json"
    if not meta_path.is_file():
        raise ScoringInputError(f"No model found at {folder} (expected model.json).")
    meta = json.loads(meta_path.read_text())
    card = ModelCard.model_validate_json((folder / "card.json").read_text())
    model: WinModel = GBMModel.load(folder, meta) if meta["kind"] == "lightgbm" else NaiveBayesModel.load(folder, meta)
    return Loaded(model=model, card=card, folder=folder)


class Registry:
    """Versions of the CRM model under data_dir; the active one is chosen explicitly."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "scoring"
        self.models = self.root / "models"

    def path(self, version: str) -> Path:
        if not _VERSION.match(version):
            raise ScoringInputError(f"Invalid model version {version!r}.")
        return self.models / version

    def versions(self) -> list[str]:
        if not self.models.is_dir():
            return []
        return sorted(p.name for p in self.models.iterdir() if (p / "model.json").is_file())

    def active_version(self) -> str | None:
        f = self.root / "ACTIVE"
        if not f.is_file():
            return None
        v = f.read_text().strip()
        return v if v in self.versions() else None

    def activate(self, version: str) -> None:
        if version not in self.versions():
            raise ScoringInputError(f"Unknown model version {version!r}; known: {', '.join(self.versions()) or 'none'}.")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / "ACTIVE.tmp"
        tmp.write_text(version + "\n")
        tmp.replace(self.root / "ACTIVE")

    def load_active(self) -> Loaded | None:
        v = self.active_version()
        return load(self.path(v)) if v else None
