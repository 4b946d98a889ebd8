"""The progress bar of a corpus run: documents (and documents/s), quotes found, errors so far.

A ``tqdm`` bar on stderr; disabled, it costs nothing and prints nothing (``stance analyze`` disables
it when stderr is not a terminal, and with ``--quiet``).
"""

from __future__ import annotations

from typing import Any


class Progress:
    def __init__(self, total: int | None = None, initial: int = 0, errors: int = 0, enabled: bool = True):
        self.quotes, self.errors = 0, errors
        self._bar = None
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, initial=initial, unit="doc", desc="analyze", dynamic_ncols=True,
                             smoothing=0.05)
            self._bar.set_postfix(quotes=0, errors=errors, refresh=False)

    def update(self, documents: int, quotes: int, errors: int) -> None:
        self.quotes += quotes
        self.errors += errors
        if self._bar is not None:
            self._bar.set_postfix(quotes=f"{self.quotes:,}", errors=f"{self.errors:,}", refresh=False)
            self._bar.update(documents)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.close()
