"""Speakers across a corpus: the names documents give one person, merged into one ``speaker_id``.

Within a document the pipeline already resolves "He" and "Clinton" to the fullest name the article
uses. Across documents the same person still appears as "Hillary Clinton", "Clinton", "Mrs. Clinton",
"Secretary Clinton", "HILLARY CLINTON", "Clinton's"; "al-Abadi" and "Haider Al-Abadi". This module
gives each such set one id, and never merges two people who share a surname but differ in given
name ("Hillary Clinton" / "Bill Clinton", "George W. Bush" / "George H.W. Bush").

The rule (``SpeakerIndex``), on each name:

1. **Normalise**: Unicode NFKD without diacritics, case folded, possessive "'s" dropped, leading
   titles and roles dropped ("Secretary", "Mrs.", "Sen.", "former President": ``speakers.names``
   TITLE_WORDS, and descriptors such as "Democrat", "candidate"), hyphens split, particles (al-,
   el-, bin, de, van ...) dropped; a suffix (Jr., Sr., II, III) is kept apart. What is left is a *form*: given name, middle names or initials, surname.
   Organisations ("the Foreign Ministry", "The New York Times") keep their whole normalised
   wording and merge only with the same wording.
2. **Attach** each form, most specific first, to the one person it is compatible with: the same
   surname, and the same given name, middle names and suffix where both have a given name (an
   initial matches a name that starts with it, a short form its full name: "Joe"/"Joseph"). A form compatible with two or more people ("Clinton" when both
   Hillary and Bill are in the corpus) stays on its own: it is not guessed. A gendered title
   ("Mrs. Clinton") narrows the choice to people whose given name has that gender.
3. **Aliases** (a CSV ``alias,canonical``, or a dict) are applied first and win: each alias is
   read as its canonical name ("Clinton" -> "Hillary Clinton", "POTUS" -> "Barack Obama"), which
   then merges like any name (and is the person's displayed name).

The ``speaker_id`` is a slug of the person's displayed name ("hillary-clinton"; of its most specific
form if two people would share it), so it does not depend on the order of the documents; the displayed ``canonical`` name is the most frequent of the
person's names that include a given name (without titles or a possessive). Names are grouped by surname, so the work grows linearly with the
number of distinct names.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from stance.speakers.names import FEMALE_NAMES, FEMALE_WORDS, MALE_NAMES, MALE_WORDS, PARTICLES, TITLE_WORDS, \
    is_organisation

SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Words that news copy puts before a name without being part of it ("Democrat Hillary Clinton",
# "rival Ted Cruz", "candidate Trump"), on top of the titles in speakers.names.TITLE_WORDS.
DESCRIPTORS = {"democrat", "democrats", "republicans", "candidate", "nominee", "presidential", "rival",
               "challenger", "incumbent", "senators", "sens", "reps", "billionaire", "businessman", "businesswoman",
               "activist", "author", "actor", "actress", "comedian", "rapper", "singer", "pastor", "officer"}
# Common English short forms of given names, so that "Joe Biden" and "Joseph R. Biden" can be one
# person; only used between names with the same surname. Written for this project.
NICKNAMES = {"bill": "william", "will": "william", "bob": "robert", "rob": "robert", "joe": "joseph",
             "mike": "michael", "ed": "edward", "chris": "christopher", "jim": "james", "jimmy": "james",
             "tom": "thomas", "dick": "richard", "rick": "richard", "dan": "daniel", "dave": "david",
             "steve": "steven", "tony": "anthony", "ron": "ronald", "don": "donald", "ken": "kenneth",
             "chuck": "charles", "charlie": "charles", "pat": "patrick", "matt": "matthew", "nick": "nicholas",
             "sam": "samuel", "ben": "benjamin", "andy": "andrew", "greg": "gregory", "jeff": "jeffrey",
             "tim": "timothy", "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine", "kathy": "katherine",
             "sue": "susan", "jen": "jennifer", "jenny": "jennifer", "meg": "margaret", "peggy": "margaret"}
_LEADING = {"the", "a", "an"}
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’])*\.?|\d+", re.UNICODE)


def fold(text: str) -> str:
    """Case folded, diacritics removed, typographic apostrophes made plain: "Hélène" -> "helene"."""
    text = text.replace("’", "'")
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Form:
    """A normalised name: a person's given, middle and surname, or an organisation's words."""

    given: str | None
    middle: tuple[str, ...]
    surname: str
    organisation: bool = False
    gender: str | None = None  # from a gendered title ("Mrs.") when there is no given name
    suffix: str | None = None  # "jr", "sr", "ii"...: "Donald Trump Jr." is not "Donald Trump"
    titles: tuple[str, ...] = ()  # of a surname alone: its id when it fits several people

    @property
    def specificity(self) -> int:
        return (self.given is not None) + len(self.middle)

    @property
    def slug(self) -> str:
        if self.organisation:
            return self.surname.replace(" ", "-")
        parts = [self.given] if self.given else list(self.titles)
        return "-".join(parts + list(self.middle) + [self.surname] + ([self.suffix] if self.suffix else []))


def _initial_match(a: str, b: str) -> bool:
    """Given or middle names agree: equal, one is an initial of the other ("h" / "hillary"), or a
    short form of it ("joe" / "joseph")."""
    if a == b or NICKNAMES.get(a, a) == NICKNAMES.get(b, b):
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def parse(name: str) -> Form | None:
    """The :class:`Form` of a speaker name, or None when nothing name-like is left."""
    raw = [w for w in _WORD.findall(name.replace("’", "'"))]
    words = [w[:-2] if w.lower().endswith("'s") else w.rstrip("'") for w in raw]  # possessives
    words = [w for w in words if w]
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    if not words:
        return None
    # everything up to the last title word is a role ("House Speaker | Paul Ryan", "Former Florida
    # Sen. | Bob Graham"), as in speakers.names.split_title; the name keeps at least one word
    last = max((i for i, w in enumerate(words[:-1]) if _is_title(w)), default=-1)
    core = words[last + 1:]
    if is_organisation(core) or (is_organisation(words) and len(core) < 2) or len(words) > 6:
        key = " ".join(fold(w).rstrip(".") for w in words)
        return Form(None, (), key, organisation=True)
    titles = [fold(w).rstrip(".") for w in words[:last + 1]]
    words = core
    parts: list[str] = []
    suffix = None
    for w in words:
        for piece in fold(w).split("-"):
            piece = piece.strip(".'")
            if piece in SUFFIXES and parts:
                suffix = piece
            elif piece and piece not in PARTICLES:
                parts.extend(p for p in piece.split(".") if p)  # "h.w" -> "h", "w"
    if not parts:
        parts = [fold(words[-1]).strip(".'")]
    surname = parts[-1]
    given = parts[0] if len(parts) > 1 else None
    middle = tuple(parts[1:-1])
    if given is not None:
        return Form(given, middle, surname, suffix=suffix)
    roles = set(titles) | {t + "." for t in titles}
    gender = "male" if roles & MALE_WORDS else "female" if roles & FEMALE_WORDS else None
    return Form(None, (), surname, gender=gender, titles=tuple(titles))


def display_name(name: str) -> str:
    """A name as it is written, without a possessive, a leading article or leading titles:
    "President Barack Obama's" -> "Barack Obama", "the Foreign Ministry" -> "Foreign Ministry"."""
    words = name.replace("’", "'").split()
    if words and re.search(r"'s?$", words[-1]):
        words[-1] = re.sub(r"'s?$", "", words[-1])
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    last = max((i for i, w in enumerate(words[:-1]) if _is_title(w)), default=-1)
    if not is_organisation(words[last + 1:]):
        words = words[last + 1:]
    return " ".join(w for w in words if w) or name


@functools.lru_cache(maxsize=1 << 16)
def _is_title(word: str) -> bool:
    word = fold(word)
    return word in TITLE_WORDS or word.rstrip(".") in TITLE_WORDS or word.rstrip(".") in DESCRIPTORS


def _given_gender(given: str | None) -> str | None:
    if given in MALE_NAMES and given not in FEMALE_NAMES:
        return "male"
    if given in FEMALE_NAMES and given not in MALE_NAMES:
        return "female"
    return None


def compatible(form: Form, person: Form) -> bool:
    """Could ``form`` (less or equally specific) name ``person``?"""
    if form.organisation or person.organisation:
        return form == person
    if form.surname != person.surname:
        return False
    if form.given is not None:
        if person.given is None or not _initial_match(form.given, person.given):
            return False
        if form.suffix != person.suffix:
            return False
    if form.middle:
        if len(form.middle) != len(person.middle) or not all(map(_initial_match, form.middle, person.middle)):
            return False
    if form.gender and _given_gender(person.given) not in (form.gender, None):
        return False
    return True


def read_aliases(source: str | Path | Mapping[str, str] | None) -> dict[str, str]:
    """An alias table ``{alias: canonical}`` from a dict or a CSV file with ``alias,canonical`` columns
    (a header row is optional); keys are folded so that matching ignores case and diacritics."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        pairs = list(source.items())
    else:
        path = Path(source)
        with open(path, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
        if rows and [c.strip().lower() for c in rows[0][:2]] == ["alias", "canonical"]:
            rows = rows[1:]
        bad = [i for i, r in enumerate(rows, start=1) if len(r) < 2 or not r[0].strip() or not r[1].strip()]
        if bad:
            raise ValueError(f"{path}: row {bad[0]} needs two columns, alias and canonical")
        pairs = [(r[0], r[1]) for r in rows]
    return {fold(alias).strip(): canonical.strip() for alias, canonical in pairs}


class SpeakerIndex:
    """Speaker names of a corpus merged into persons: ``index.id_of(name)``, ``index.canonical_of(name)``.

        index = SpeakerIndex(aliases="aliases.csv").fit(["Hillary Clinton", "Clinton", "Bill Clinton"])
        index.id_of("Mrs. Clinton")   # 'hillary-clinton'
        index.id_of("Clinton")        # 'clinton' (Hillary or Bill: not guessed)

    Attributes after ``fit``: ``ids`` and ``canonical`` (name -> id / display name), ``persons``
    (id -> the names merged into it).
    """

    def __init__(self, aliases: str | Path | Mapping[str, str] | None = None):
        self.aliases = read_aliases(aliases)
        self.ids: dict[str, str | None] = {}
        self.canonical: dict[str, str | None] = {}
        self.persons: dict[str, list[str]] = {}

    def _aliased(self, name: str) -> str:
        key = fold(name).strip()
        return self.aliases.get(key) or self.aliases.get(re.sub(r"'s?$", "", key), name)

    def fit(self, names: Iterable[str | None]) -> "SpeakerIndex":
        counts = Counter(n for n in names if isinstance(n, str) and n.strip())
        parsed: dict[str, Form | None] = {}

        def form_of(name: str) -> Form | None:
            if name not in parsed:
                parsed[name] = parse(name)
            return parsed[name]

        forms: dict[str, Form | None] = {name: form_of(self._aliased(name)) for name in counts}
        pinned = {f for f in (form_of(c) for c in set(self.aliases.values())) if f is not None}
        by_surname: dict[tuple[bool, str], list[Form]] = defaultdict(list)
        for form in set(f for f in forms.values() if f is not None):
            by_surname[(form.organisation, form.surname)].append(form)
        person_of: dict[Form, Form] = {}
        for group in by_surname.values():
            persons: list[Form] = []  # the people found so far, each by its most specific form
            for form in sorted(group, key=lambda f: (-f.specificity, f.slug)):
                matches = [p for p in persons if compatible(form, p)]
                if len(matches) == 1:
                    person_of[form] = matches[0]
                else:
                    person_of[form] = form  # a new person, or a form that fits several: its own id
                    if not matches or form in pinned:  # an alias table's canonical name is a person
                        persons.append(form)
        surface: dict[Form, Counter] = defaultdict(Counter)
        for name, count in counts.items():
            form = forms[name]
            if form is not None:
                surface[person_of[form]][display_name(self._aliased(name))] += count
        display = {}
        canonical_names = set(self.aliases.values())
        for person, names_ in surface.items():
            full = ([n for n in names_ if n in canonical_names]
                    or [n for n in names_ if (form_of(n) or person).given is not None] or list(names_))
            display[person] = max(full, key=lambda n: (names_[n], (form_of(n) or person).specificity, len(n), n))
        # a person's id: the slug of its displayed name ("barack-obama"), or of its most specific
        # form where two people's displayed names would give the same slug
        wanted = {person: (form_of(name) or person).slug for person, name in display.items()}
        taken = Counter(wanted.values())
        slug = {person: s if taken[s] == 1 else person.slug for person, s in wanted.items()}
        self.ids, self.canonical, self.persons = {}, {}, defaultdict(list)
        for name in counts:
            form = forms[name]
            person = person_of.get(form) if form is not None else None
            self.ids[name] = slug[person] if person else None
            self.canonical[name] = display[person] if person else None
            if person:
                self.persons[person.slug].append(name)
        self.persons = dict(self.persons)
        return self

    def id_of(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self.ids:
            raise KeyError(f"{name!r} was not among the names this index was fitted on")
        return self.ids[name]

    def canonical_of(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self.canonical:
            raise KeyError(f"{name!r} was not among the names this index was fitted on")
        return self.canonical[name]


def merge_speakers(names: Iterable[str | None], aliases: str | Path | Mapping[str, str] | None = None
                   ) -> dict[str, tuple[str | None, str | None]]:
    """``{name: (speaker_id, canonical name)}`` for every distinct name (see :class:`SpeakerIndex`)."""
    index = SpeakerIndex(aliases).fit(names)
    return {name: (index.ids[name], index.canonical[name]) for name in index.ids}
