"""The wheel carries the default model: built, installed into a fresh venv, run far from the checkout.

Offline and quick: the wheel is built without build isolation and installed with ``--no-deps``; the
new venv sees this interpreter's packages (torch, transformers...) through a ``.pth`` line, but not
the checkout (no PYTHONPATH, a working folder under the temporary directory).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from stance.packaged_models import DEFAULT_MODELS

ROOT = Path(__file__).resolve().parents[1]
MAX_WHEEL_BYTES = 100 * 1024 * 1024


def build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of the sources, so that no stale build/ folder of the checkout leaks in."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "stance", src / "stance", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", src / "models")
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(dist), str(src)], check=True, cwd=tmp_path)
    (wheel,) = dist.glob("stance-*.whl")
    return wheel


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_gives_stances_offline_far_from_the_checkout(tmp_path):
    wheel = build_wheel(tmp_path)
    assert wheel.stat().st_size < MAX_WHEEL_BYTES
    names = zipfile.ZipFile(wheel).namelist()
    assert "stance/models/stance-minilm/model.safetensors" in names
    assert not any(n.startswith("stance/models/stance-minilm-l6/") for n in names)  # only the defaults
    shipped = {n.split("/")[2] for n in names if n.startswith("stance/models/")}
    assert shipped == {f for f in DEFAULT_MODELS.values() if (ROOT / "models" / f).is_dir()}

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # this interpreter's packages, after the venv's own (a .pth line adds a path, not the .pth files in it,
    # so an editable install of the checkout there stays invisible)
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True)

    work = tmp_path / "far" / "away"
    work.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "article.txt", work / "article.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "STANCE_MODEL")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", OMP_NUM_THREADS="1")
    where = subprocess.run([str(python), "-c", "import stance, stance.stances.model as m; "
                            "print(stance.__file__); print(m.default_model_path())"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where
    result = subprocess.run([str(venv / "bin" / "stance"), "analyze", "article.txt", "-o", "out.jsonl",
                             "--threads", "1", "-q"], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "no stance model" not in result.stderr
    (doc,) = [json.loads(line) for line in (work / "out.jsonl").read_text().splitlines()]
    assert len(doc["quotes"]) > 5
    assert all(q["stances"] for q in doc["quotes"])
