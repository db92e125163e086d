"""The embedded model: assembled from the two wheels, verified, rebuilt when corrupt, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcription import model_cache
from transcription.errors import ModelCacheError
from transcription.model_cache import MODEL_SIZE, embedded_model_path, resolve_model


def test_assembled_model_is_complete(model_path: Path) -> None:
    assert (model_path / "model.bin").stat().st_size == MODEL_SIZE
    for name in model_cache.SIDE_FILES:
        assert (model_path / name).is_file()
    assert not list(model_path.glob("*.tmp"))  # nothing half-written left behind


def test_second_call_reuses_the_verified_copy(model_path: Path) -> None:
    mtime = (model_path / "model.bin").stat().st_mtime_ns
    assert embedded_model_path(model_path.parent) == model_path
    assert (model_path / "model.bin").stat().st_mtime_ns == mtime


def test_truncated_or_corrupt_model_is_rebuilt(tmp_path: Path) -> None:
    target = embedded_model_path(tmp_path)
    with (target / "model.bin").open("r+b") as fh:  # a partial copy (e.g. a killed earlier build)
        fh.truncate(1000)
    assert (embedded_model_path(tmp_path) / "model.bin").stat().st_size == MODEL_SIZE
    with (target / "model.bin").open("r+b") as fh:  # same size, flipped bytes
        fh.seek(5000)
        fh.write(b"\x00corrupt\x00")
    rebuilt = embedded_model_path(tmp_path)
    assert model_cache._sha256(rebuilt / "model.bin") == model_cache.MODEL_SHA256


def test_settings_may_name_another_model(tmp_path: Path, model_path: Path) -> None:
    assert resolve_model("embedded:whisper-base", model_path.parent) == str(model_path)
    assert resolve_model(str(model_path), tmp_path) == str(model_path)  # a local CTranslate2 directory
    assert resolve_model("large-v3", tmp_path) == "large-v3"  # a faster-whisper name, resolved offline later
    with pytest.raises(ModelCacheError, match=r"no model\.bin"):
        resolve_model(str(tmp_path), tmp_path)
    with pytest.raises(ModelCacheError, match="unknown embedded model"):
        resolve_model("embedded:whisper-tiny", tmp_path)
