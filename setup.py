"""Packaging beyond pyproject.toml: the default model folders go into the wheel as package data.

The folders come from ``stance/packaged_models.py`` (``DEFAULT_MODELS``), the one list of them;
each one that exists under ``models/`` is shipped as ``stance/models/<folder>/``.
"""

import runpy
import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DEFAULT_MODELS = runpy.run_path(str(HERE / "stance" / "packaged_models.py"))["DEFAULT_MODELS"]
FOLDERS = sorted(f for f in set(DEFAULT_MODELS.values()) if (HERE / "models" / f).is_dir())


class BuildWithModels(build_py):
    """build_py that first empties the build folder's copy of the models, so that a folder dropped
    from the list (or a stale file) from an earlier build in this checkout never reaches the wheel."""

    def run(self):
        shutil.rmtree(Path(self.build_lib) / "stance" / "models", ignore_errors=True)
        super().run()


setup(
    packages=find_packages(include=["stance", "stance.*"]) + ["stance.models"],
    package_dir={"stance.models": "models"},
    package_data={"stance.models": [f"{folder}/*" for folder in FOLDERS]},
    include_package_data=False,
    cmdclass={"build_py": BuildWithModels},
)
