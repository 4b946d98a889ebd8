"""The default models: which folders of the checkout's ``models/`` ship inside the wheel.

``DEFAULT_MODELS`` is the one list of them. ``setup.py`` reads it to put those folders (those that
exist) into the wheel as package data under ``stance/models/``, and :func:`default_model_dir` finds
a default model where it is: in the installed package, else in the checkout. Other folders under
``models/`` (``stance-minilm-l6``, your own) stay out of the wheel and load by path.

This module imports nothing from the rest of the package: ``setup.py`` runs it on its own.
"""

from __future__ import annotations

from pathlib import Path

# role -> folder under models/ (and under stance/models/ in an installed wheel)
DEFAULT_MODELS: dict[str, str] = {
    "stance": "stance-minilm",
    "quote-tagger": "quotes-minilm",
}

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED_MODELS = PACKAGE_DIR / "models"         # in an installed wheel
CHECKOUT_MODELS = PACKAGE_DIR.parent / "models"  # in a checkout (also an editable install)


def default_model_dir(role: str) -> Path:
    """The folder of the default model for ``role`` ("stance", ...): the copy the wheel installed
    if there is one, else the checkout's ``models/<folder>`` (which may not exist)."""
    if role not in DEFAULT_MODELS:
        raise KeyError(f"no default model for {role!r}; roles: {sorted(DEFAULT_MODELS)}")
    folder = DEFAULT_MODELS[role]
    packaged = PACKAGED_MODELS / folder
    return packaged if packaged.is_dir() else CHECKOUT_MODELS / folder
