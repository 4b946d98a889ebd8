"""Who a source mention refers to: "He", "the Iraqi PM" and "Al-Sudani" -> "Mohammed Shia Al-Sudani".

Within one document, rules in the tradition of Hobbs (1978) and the Stanford sieve (Lee et al. 2013),
cut down to what news attribution needs:

1. names are clustered by surname, and a person's canonical name is the fullest form the document
   uses, without titles;
2. a description ("the Iraqi PM", "the senator") goes to the most recent person whose titles or
   apposition carry its head word;
3. a pronoun goes to the most recent *salient* compatible entity: persons that agree in gender (from
   titles, role words and given names), preferring those who spoke or opened a sentence in the last
   few paragraphs over those merely mentioned, so that "He" after "Trump attacked Clinton. He said..."
   is Trump; a sentence's subject is the first name in it ("In turn, Foreign Minister Fuad Hussein
   reaffirmed ..."), and every source resolved so far counts as a subject where it stands, so "He"
   goes to the last speaker, even one named by a description ("the minister said ...");
4. a relative pronoun ("who", "which") goes to the name just before it.

A headline is not a sentence of the article: its names are known (so that "Trump" in the body links
to the "Donald Trump" of the headline) but are never subjects, and a dateline ("WASHINGTON (AP) —")
holds no names at all (see :mod:`stance.layout`).

When no rule applies, the speaker keeps its mention and has no name: nothing is guessed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from stance.document import Span, Speaker
from stance.segment import Token, paragraphs, sentences, tokenize
from stance.speakers.names import (
    FEMALE_WORDS,
    MALE_WORDS,
    PARTICLES,
    TITLE_WORDS,
    gender_of,
    is_organisation,
    split_title,
    strip_possessive,
)

# Capitalised words that start sentences without being names.
_NOT_NAMES = set(
    """the a an but and or so yet if when while after before as at in on of for from by with to
    this that these those there here it its he she they we i you his her their our my your
    what who why how where which however meanwhile still also then now today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december asked according despite although though
    because since until unless even just only not no yes mr mrs ms""".split()
)
ROLE_SYNONYMS = {"pm": {"prime", "minister", "premier"}, "premier": {"prime", "minister", "pm"}}
# How far back (in characters) a pronoun looks for a salient antecedent before settling for any.
SALIENCE_WINDOW = 1500


@dataclass
class Entity:
    forms: list[tuple[str, ...]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    organisation: bool = False
    spoke: bool = False  # the source of a quote somewhere in the document

    @property
    def person_like(self) -> bool:
        """Whether "he" or "she" can refer to it: a known gender, a full name, or a speaker.
        A lone capitalised word that never speaks ("Iraq", "Gaza") is more likely a place."""
        return self.gender is not None or self.spoke or any(len(f) > 1 for f in self.forms)

    @property
    def name(self) -> str:
        best = max(self.forms, key=lambda f: (len(f), len(" ".join(f))))
        return " ".join(best)

    @property
    def surname(self) -> str:
        return self.forms[0][-1]


@dataclass
class _Mention:
    start: int
    end: int
    entity: Entity
    subject: bool


class SpeakerResolver:
    """Resolves source mentions of one document. Build once per document, then ``resolve`` each."""

    def __init__(self, text: str, source_spans: list[tuple[int, int]] = (), headline: tuple[int, int] | None = None,
                 skip: list[tuple[int, int]] = ()):
        self.text = text
        self.entities: list[Entity] = []
        self.mentions: list[_Mention] = []
        # indexes for _find, so that each name is looked up, not compared with every entity so far
        # (which was quadratic in a long text): persons by surname and by any word of their forms,
        # organisations by key, and the latest mention of each entity
        self._by_surname: dict[str, list[Entity]] = {}
        self._by_word: dict[str, list[Entity]] = {}
        self._by_org_key: dict[str, Entity] = {}
        self._latest: dict[int, int] = {}
        self._word_seen: set[tuple[str, int]] = set()
        sources = set(source_spans)
        sentence_starts = [s for ps, pe in paragraphs(text) for s, _ in sentences(text, ps, pe)]
        seen_sentences: set[int] = set()
        for start, end, words, roles, subject in self._name_runs():
            if any(s <= start < e for s, e in skip):
                continue
            sentence = bisect.bisect_right(sentence_starts, start)
            if sentence not in seen_sentences:
                subject = True  # the first name of a sentence is its subject, whatever comes before it
                seen_sentences.add(sentence)
            if headline is not None and headline[0] <= start < headline[1]:
                subject = False
            self._add(start, end, words, roles, subject)
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        # a quote's source is salient for the pronouns that follow
        for s, e in sources:
            for m in self._overlapping(s, e):
                m.subject = True
                m.entity.spoke = True

    # -- building ---------------------------------------------------------------------------

    def _name_runs(self):
        text = self.text
        tokens = tokenize(text)
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            if not tok.text[0].isupper():
                i += 1
                continue
            j = i
            words: list[Token] = []
            while j < n:
                t = tokens[j]
                if t.text[0].isupper() or t.lower in PARTICLES and j + 1 < n and tokens[j + 1].text[0].isupper():
                    words.append(t)
                    j += 1
                elif t.lower == "of" and words and words[-1].lower in TITLE_WORDS and j + 1 < n and tokens[j + 1].text[0].isupper():
                    words.append(t)  # "Secretary of State John Kerry"
                    j += 1
                elif t.text == "-" and words and j + 1 < n and tokens[j + 1].text[0].isupper() and tokens[j + 1].start == t.end:
                    j += 1  # a hyphenated name split by the tokenizer
                else:
                    break
            run_start = i
            i = max(j, i + 1)
            while words and words[0].lower in _NOT_NAMES:
                words = words[1:]
                run_start += 1
            if not words:
                continue
            texts = [w.text for w in words]
            roles, core = ([], texts) if is_organisation(texts) else split_title(texts)
            if not core or all(w.lower() in TITLE_WORDS for w in core):
                continue
            core = core[:-1] + [strip_possessive(core[-1])]
            before = text[max(0, words[0].start - 3) : words[0].start].strip()
            subject = run_start == 0 or before[-1:] in {".", "!", "?", "”", '"', ""} or text[max(0, words[0].start - 1)] == "\n"
            role_words = {r.lower().rstrip(".") for r in roles} | {r.lower() for r in roles}
            role_words |= self._apposition_roles(tokens, j)
            yield words[0].start, words[-1].end, core, role_words, subject

    @staticmethod
    def _apposition_roles(tokens: list[Token], j: int) -> set[str]:
        """Role words of ", the Iraqi prime minister," right after a name."""
        if j + 2 >= len(tokens) or tokens[j].text != "," or tokens[j + 1].lower not in {"the", "a", "an"}:
            return set()
        roles = set()
        for t in tokens[j + 2 : j + 10]:
            if t.text in {",", ".", ";", "(", ")"}:
                break
            roles.add(t.lower)
        return roles

    def _add(self, start: int, end: int, core: list[str], roles: set[str], subject: bool) -> None:
        form = tuple(core)
        organisation = is_organisation(core)
        entity = self._find(form, organisation, start)
        if entity is None:
            entity = Entity(organisation=organisation)
            self.entities.append(entity)
        if form not in entity.forms:
            entity.forms.append(form)
            if organisation:
                self._by_org_key.setdefault(_org_key(form), entity)
            else:
                if len(entity.forms) == 1:
                    self._by_surname.setdefault(entity.surname, []).append(entity)
                for word in form:
                    if (word, id(entity)) not in self._word_seen:
                        self._word_seen.add((word, id(entity)))
                        self._by_word.setdefault(word, []).append(entity)
        self._latest[id(entity)] = len(self.mentions)
        entity.roles |= roles
        if entity.gender is None and not organisation:
            entity.gender = gender_of(core if len(core) > 1 else [], roles)
        self.mentions.append(_Mention(start, end, entity, subject))

    def _find(self, form: tuple[str, ...], organisation: bool, start: int) -> Entity | None:
        if organisation:
            return self._by_org_key.get(_org_key(form))
        surname = form[-1]
        candidates = self._by_surname.get(surname, [])
        if len(form) > 1:
            for e in candidates:
                if any(len(f) == 1 or f[0] == form[0] or len(f[0]) <= 2 and f[0][0] == form[0][0] for f in e.forms):
                    return e
            return None
        if not candidates:
            # a single word may be a first name or a surname seen before in full ("Sudani")
            candidates = self._by_word.get(surname, [])
        if not candidates:
            return None
        # the most recently mentioned of them (mentions are added in text order while building)
        return max(candidates, key=lambda e: self._latest.get(id(e), -1))

    # -- resolving --------------------------------------------------------------------------

    def _overlapping(self, s: int, e: int) -> list[_Mention]:
        found = []
        # by index, not over a slice: a slice copies the rest of the list, quadratic in a long text
        for k in range(max(0, bisect.bisect_left(self._starts, s) - 1), len(self.mentions)):
            m = self.mentions[k]
            if m.start >= e:
                break
            if m.end > s:
                found.append(m)
        return found

    def resolve(self, start: int, end: int, kind: str | None) -> Speaker:
        """The speaker for a source mention at text[start:end]."""
        mention = Span.of(self.text, start, end)
        words = mention.text.split()
        low = mention.text.lower()
        entity: Entity | None = None
        if kind == "pronoun" or low in {"he", "she", "it", "they", "i", "we", "you"}:
            entity = self._pronoun(low, start)
        elif kind == "relative" or low in {"who", "which"}:
            entity = self._antecedent(start)
        else:
            named = self._overlapping(start, end)
            if named:
                entity = named[0].entity
            elif words:
                entity = self._description(low, start)
        if entity is not None:
            self._spoke(entity, start, end)
        return Speaker(entity.name if entity else None, mention)

    def _spoke(self, entity: Entity, start: int, end: int) -> None:
        """Record a resolved source as a salient mention of its entity where it stands."""
        entity.spoke = True
        i = bisect.bisect_left(self._starts, start)
        if i < len(self.mentions) and self.mentions[i].start == start and self.mentions[i].entity is entity:
            self.mentions[i].subject = True
            return
        self.mentions.insert(i, _Mention(start, end, entity, True))
        self._starts.insert(i, start)

    def _pronoun(self, pronoun: str, start: int) -> Entity | None:
        if pronoun in {"i", "we", "you"}:
            return None
        wanted = {"he": "male", "she": "female", "it": "organisation", "they": "organisation"}.get(pronoun.strip("\"'“”‘’,.:;!? "))
        if wanted is None:
            return None
        i = bisect.bisect_left(self._starts, start)
        nearest = None
        for k in range(i - 1, -1, -1):  # backwards by index: a reversed slice would copy the list first
            m = self.mentions[k]
            e = m.entity
            if wanted == "organisation":
                if not e.organisation:
                    continue
            elif e.organisation or e.gender not in (None, wanted) or not e.person_like:
                continue
            if m.subject and start - m.start <= SALIENCE_WINDOW:
                return e
            if nearest is None:
                nearest = e
            if start - m.start > SALIENCE_WINDOW:
                break
        return nearest

    def _antecedent(self, start: int) -> Entity | None:
        i = bisect.bisect_left(self._starts, start)
        if i and start - self.mentions[i - 1].end <= 3:
            return self.mentions[i - 1].entity
        return None

    def _description(self, low: str, start: int) -> Entity | None:
        words = [w.strip(".,'’") for w in low.split()]
        words = [w for w in words if w not in {"the", "a", "an", "his", "her", "its", "their"}]
        if not words:
            return None
        head = words[-1]
        if head not in TITLE_WORDS and head not in ROLE_SYNONYMS:
            return None
        wanted = {head} | ROLE_SYNONYMS.get(head, set())
        modifiers = set(words[:-1])
        i = bisect.bisect_left(self._starts, start)
        for k in range(i - 1, -1, -1):
            m = self.mentions[k]
            roles = m.entity.roles
            if roles & wanted and (not modifiers or modifiers & roles or len(modifiers) == 1 and not m.entity.organisation):
                return m.entity
        return None


def _org_key(form: tuple[str, ...]) -> str:
    words = [w.lower() for w in form if w.lower() != "the"]
    return " ".join(words)
