"""Targets that add up: user targets with aliases, and a ``target_group`` for every target.

**User targets with aliases.** ``"Israel=Israel,Israeli,IDF"`` is the target "Israel", matched to a
quote that mentions any of its aliases (the canonical name is always one); the quote is scored
toward, and counted under, "Israel". Many at once: a CSV file with ``alias,canonical`` rows
(:func:`read_target_file`), or a dict ``{"Israel": ["Israeli", "IDF"]}``.

**Target groups.** Proposed targets are free phrases ("the ongoing aggression against the people of
Gaza", "a drone strike near the capital's airport", "tensions"), so counts over them do not add up.
``target_group`` reduces each to what it is about, by one rule:

1. a target in the user's alias table (a canonical name or an alias) -> its canonical name;
2. else, a name in it (the first run of capitalised words that is not a leading determiner or
   the fallback target), without a possessive or a leading "the": "the ongoing aggression
   against the people of Gaza" -> "Gaza", "Israel's blockade" -> "Israel", "the United
   Nations" -> "United Nations";
3. else, its head noun (the last word before its first preposition, after its modifiers), lower
   case and singular: "a drone strike near the capital's airport" -> "strike", "tensions" ->
   "tension", "the situation" -> "situation".

So a place named in an action phrase ("strike near Baghdad" -> "Baghdad") groups the action under
the place: read a group as "what the target names", not "who is blamed".
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from stance.targets.propose import _head_word, _stem, mentions_target

# Capitalised words that open a phrase without naming anything.
_NOT_NAMES = {"the", "a", "an", "this", "that", "these", "those", "our", "their", "its", "his", "her",
              "any", "all", "some", "such", "we", "i", "it", "they"}
_NAME_RUN = re.compile(r"[A-Z][\w\-.’']*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w\-.’']*)*")


def parse_target(spec: str) -> tuple[str, tuple[str, ...]]:
    """``"Israel=Israel,Israeli,IDF"`` -> ``("Israel", ("Israel", "Israeli", "IDF"))``; a plain
    ``"the blockade"`` is its own only alias."""
    canonical, sep, aliases = spec.partition("=")
    canonical = canonical.strip()
    if not canonical:
        raise ValueError(f"target {spec!r} has no name before '='")
    names = [canonical] + ([a.strip() for a in aliases.split(",") if a.strip()] if sep else [])
    return canonical, tuple(dict.fromkeys(names))


def target_table(targets: Sequence[str] | Mapping[str, Iterable[str]] | None) -> dict[str, tuple[str, ...]]:
    """``{canonical: aliases}`` from target specs (``"Israel=Israeli,IDF"``) or a dict."""
    if not targets:
        return {}
    table: dict[str, tuple[str, ...]] = {}
    items = (targets.items() if isinstance(targets, Mapping)
             else (parse_target(t) for t in targets if t and t.strip()))
    for canonical, aliases in items:
        aliases = (aliases,) if isinstance(aliases, str) else tuple(aliases)
        table[canonical] = tuple(dict.fromkeys(table.get(canonical, ()) + (canonical,) + aliases))
    return table


def target_specs(table: Mapping[str, Iterable[str]]) -> list[str]:
    """The table back as spec strings (what ``Pipeline.targets`` holds)."""
    specs = []
    for canonical, aliases in table.items():
        extra = [a for a in aliases if a != canonical]
        specs.append(f"{canonical}={','.join([canonical] + extra)}" if extra else canonical)
    return specs


def read_target_file(path: str | Path) -> list[str]:
    """Target specs from a CSV file of ``alias,canonical`` rows (header optional); a row with one
    column is a target without aliases."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if rows and [c.lower() for c in rows[0][:2]] == ["alias", "canonical"]:
        rows = rows[1:]
    table: dict[str, list[str]] = {}
    for number, row in enumerate(rows, start=1):
        alias, canonical = row[0], (row[1] if len(row) > 1 and row[1] else row[0])
        if not alias:
            raise ValueError(f"{path}: row {number} has no alias")
        table.setdefault(canonical, []).append(alias)
    if not table:
        raise ValueError(f"{path}: no targets (expected rows of alias,canonical)")
    return target_specs(table)


def match_target_table(text: str, table: Mapping[str, Sequence[str]]) -> list[str]:
    """The canonical targets whose aliases ``text`` mentions, in table order; all of them if none."""
    matched = [c for c, aliases in table.items() if any(mentions_target(text, a) for a in aliases)]
    return matched or list(table)


def _alias_lookup(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {alias.casefold(): canonical for canonical, aliases in table.items()
            for alias in (canonical, *aliases)}


def target_group(target: str | None, aliases: Mapping[str, Iterable[str]] | Sequence[str] | None = None) -> str | None:
    """What a target is about (rules in the module docstring): a canonical user target, a name, or
    a head noun in lower case and singular. None stays None."""
    if target is None:
        return None
    lookup = _alias_lookup(target_table(aliases)) if aliases else {}
    return _group(target, lookup)


def _group(target: str, lookup: Mapping[str, str]) -> str:
    text = target.strip()
    if text.casefold() in lookup:
        return lookup[text.casefold()]
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if words:
            name = re.sub(r"['’]s?$", "", " ".join(words)).rstrip(".") if not re.fullmatch(
                r"(?:[A-Z]\.)+", words[-1]) else " ".join(words)
            return lookup.get(name.casefold(), name)
    head = _head_word(text)
    group = _stem(head) if head else text.lower()
    return lookup.get(group, group)


class TargetGrouper:
    """``target_group`` with a cache, for a corpus: ``TargetGrouper(aliases)(target)``."""

    def __init__(self, aliases: Mapping[str, Iterable[str]] | Sequence[str] | None = None):
        self._lookup = _alias_lookup(target_table(aliases)) if aliases else {}
        self._cache: dict[str, str] = {}

    def __call__(self, target: str | None) -> str | None:
        if target is None:
            return None
        if target not in self._cache:
            self._cache[target] = _group(target, self._lookup)
        return self._cache[target]
