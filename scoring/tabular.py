"""Robust CSV typing for the generic tabular mode: strings stay categories ('None' included), numbers numeric."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from scoring.types import ScoringInputError

MAX_CATEGORIES = 500
MIN_ROWS = 20


class Column(BaseModel):
    name: str
    kind: Literal["numeric", "categorical"]
    categories: list[str] = []


class Schema(BaseModel):
    columns: list[Column]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def frame(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Type a string frame by this schema; missing columns become empty, unseen categories NaN."""
        out: dict[str, object] = {}
        for col in self.columns:
            values = raw[col.name] if col.name in raw.columns else pd.Series([""] * len(raw), index=raw.index)
            if col.kind == "numeric":
                out[col.name] = pd.to_numeric(values.replace("", np.nan), errors="coerce").astype(float)
            else:
                out[col.name] = pd.Categorical(values.astype(str), categories=col.categories)
        return pd.DataFrame(out, index=raw.index)


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read every cell as a string (keep_default_na=False, so 'None' and 'NA' are categories)."""
    p = Path(path)
    if not p.is_file():
        raise ScoringInputError(f"CSV file not found: {p}.")
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError as exc:
        raise ScoringInputError(f"CSV file {p} is empty.") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ScoringInputError(f"CSV file {p} could not be parsed: {str(exc).splitlines()[0]}.") from exc
    if df.shape[1] == 0 or len(df) == 0:
        raise ScoringInputError(f"CSV file {p} has no data rows.")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _is_numeric(values: pd.Series) -> bool:
    nonblank = values[values.str.strip() != ""]
    if len(nonblank) == 0:
        return False
    return bool(pd.to_numeric(nonblank, errors="coerce").notna().all())


def infer_schema(df: pd.DataFrame, columns: list[str]) -> tuple[Schema, list[str]]:
    """Type each column; identifier-like string columns (almost all values unique) are skipped with a note."""
    cols: list[Column] = []
    notes: list[str] = []
    n = len(df)
    for name in columns:
        values = df[name].astype(str)
        if _is_numeric(values):
            cols.append(Column(name=name, kind="numeric"))
            continue
        counts = values.value_counts()
        if n >= 50 and len(counts) > 0.5 * n:
            notes.append(f"skipped {name!r}: looks like an identifier ({len(counts)} distinct values)")
            continue
        cats = [str(c) for c in counts.index[:MAX_CATEGORIES]]
        cols.append(Column(name=name, kind="categorical", categories=cats))
    return Schema(columns=cols), notes


@dataclass
class TrainingData:
    X: pd.DataFrame
    y: np.ndarray
    groups: np.ndarray
    ids: pd.Series
    schema: Schema
    notes: list[str] = field(default_factory=list)


def prepare_training(
    df: pd.DataFrame,
    target: str,
    positive: str,
    id_column: str | None = None,
    drop: list[str] | None = None,
) -> TrainingData:
    """Validate options against the CSV and build X, y (1 = positive) and groups (the id column, if any)."""
    drop = list(drop or [])
    for name, what in [(target, "target"), *[(d, "--drop") for d in drop]]:
        if name not in df.columns:
            raise ScoringInputError(f"The {what} column {name!r} is not in the CSV (columns: {', '.join(df.columns[:12])}).")
    if id_column is not None and id_column not in df.columns:
        raise ScoringInputError(f"The id column {id_column!r} is not in the CSV.")
    labels = df[target].astype(str).str.strip()
    if positive not in set(labels):
        seen = ", ".join(sorted(set(labels))[:8])
        raise ScoringInputError(f"The positive value {positive!r} never occurs in {target!r} (values: {seen}).")
    y = (labels == positive).to_numpy(dtype=int)
    if y.min() == y.max():
        raise ScoringInputError(f"The target {target!r} has only one class, so there is nothing to learn.")
    if len(df) < MIN_ROWS:
        raise ScoringInputError(f"The CSV has {len(df)} rows; at least {MIN_ROWS} are needed to train.")
    exclude = {target, *drop} | ({id_column} if id_column else set())
    schema, notes = infer_schema(df, [c for c in df.columns if c not in exclude])
    if not schema.columns:
        raise ScoringInputError("No usable feature columns are left after dropping target, id and --drop columns.")
    ids = df[id_column] if id_column else pd.Series(np.arange(len(df)).astype(str), index=df.index)
    groups = ids.to_numpy() if id_column else np.arange(len(df))
    return TrainingData(X=schema.frame(df), y=y, groups=groups, ids=ids, schema=schema, notes=notes)
