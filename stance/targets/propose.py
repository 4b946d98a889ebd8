"""Targets: what a quote's stance is directed at, proposed from the quote by rules, or matched from a list.

    >>> propose_targets("Egypt condemned the Israeli strike on Rafah and urged all sides to show restraint.")
    ['the Israeli strike on Rafah', 'all sides', 'Egypt']
    >>> match_targets("We condemn the attacks on Israeli towns.", ["Israel", "Hamas"])
    ['Israel']

A target is an *actor* (Israel, the Global Coalition), an *action or policy* (the aggression against
Gaza) or a *situation* (regional tensions), as in DESIGN.md. No model is involved: the rules below
are deterministic, need no tokenizer beyond a regular expression, and run in microseconds per quote.

:func:`propose_targets` ranks candidates in this order, best first:

1. the object of a stance verb ("condemns **the attack on the convoy**", "accused **Cambodia** of",
   "urged **Israel and Hamas** to", "committed to **rebuilding every home**"). When what is called
   for is a generic de-escalation step ("called for restraint in **the Red Sea**", "an immediate halt
   to **the fighting in Gaza**"), the step's complement is the target, not the step;
2. action phrases built on a hostile-act noun: "attacks on X", "the Israeli strike on X",
   "the demolition of X" (nouns from CAMEO's 18-20 and 17 roots: assault, fight, mass violence,
   coerce);
3. situations: "tensions", "the conflict", "violence", "the war in X", "the Syrian crisis";
4. named actors: runs of capitalised words ("the United States of America", "UNRWA"), without the
   function words that open sentences, and demonym + noun ("the Iranian regime");
5. actors that already appear inside a higher-ranked phrase, then actors that look like the quote's
   speaker (right before "said"/"told", or right after them), which are rarely its target.

:func:`match_targets` is for users who bring their own targets: it keeps those the quote mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# ---------------------------------------------------------------------------------------------------
# Word lists (one place for all of them). Stance verbs follow the CAMEO/PLOVER roots of our labels
# (see stance/stances/labels.py): 111-114 disapprove/accuse/condemn, 025-028 and 03 appeals and
# commitments, 04-05 consult/cooperate (welcome, support) and 12-13 reject.

#: verbs whose object is the target, with the word that ends the object ("accused X *of* Y")
_OBJECT_VERBS = [
    (r"condemn(?:s|ed|ing)?", ()),
    (r"denounc(?:e|es|ed|ing)", ()),
    (r"deplor(?:e|es|ed|ing)", ()),
    (r"decr(?:y|ies|ied|ying)", ()),
    (r"critici[sz](?:e|es|ed|ing)", ("for",)),
    (r"blam(?:e|es|ed|ing)", ("for",)),
    (r"accus(?:e|es|ed|ing)", ("of",)),
    (r"reject(?:s|ed|ing)?", ()),
    (r"welcom(?:e|es|ed|ing)", ()),
    (r"prais(?:e|es|ed|ing)", ("for",)),
    (r"support(?:s|ed|ing)?", ()),
    (r"oppos(?:e|es|ed|ing)", ()),
]
#: verbs whose object is an addressee asked to do something ("urged *Israel and Hamas* to ...")
_ADDRESSEE_VERBS = [r"urg(?:e|es|ed|ing)", r"call(?:s|ed|ing)?\s+(?:on|upon)",
                    r"appeal(?:s|ed|ing)?\s+to", r"press(?:es|ed|ing)?", r"ask(?:s|ed|ing)?"]
#: verbs whose object is what is asked for or promised
_DEMAND_VERBS = [r"call(?:s|ed|ing)?\s+for", r"appeal(?:s|ed|ing)?\s+for", r"demand(?:s|ed|ing)?",
                 r"push(?:es|ed|ing)?\s+for", r"press(?:es|ed|ing)?\s+for", r"ask(?:s|ed|ing)?\s+for"]
_COMMIT_VERBS = [r"commit(?:s|ted|ting)?\s+(?:itself\s+|themselves\s+|ourselves\s+|myself\s+)?to",
                 r"committed\s+to", r"commitment\s+to", r"pledg(?:e|es|ed|ing)(?:\s+to)?",
                 r"promis(?:e|es|ed|ing)(?:\s+to)?", r"vow(?:s|ed|ing)?\s+to",
                 r"reaffirm(?:s|ed|ing)?(?:\s+(?:its|their|our|his|her))?(?:\s+(?:full|firm|strong|"
                 r"unwavering|steadfast))?(?:\s+(?:commitment|support|solidarity|readiness)"
                 r"(?:\s+(?:to|for|with))?)?"]

#: de-escalation steps that are asked for; the target is their complement ("a halt to X")
_STEP_NOUNS = {"restraint", "self-restraint", "calm", "ceasefire", "cease-fire", "truce", "de-escalation", "dialogue",
               "talks", "negotiations", "peace", "halt", "end", "pause", "stop", "cessation",
               "investigation", "inquiry", "probe", "withdrawal", "release", "solution", "settlement"}

#: hostile acts (CAMEO 17-20) and contested policies whose phrase is a target
_ACTION_NOUNS = {"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "air strike",
                 "bombing", "bombings", "bombardment", "shelling", "killing", "killings", "assault",
                 "aggression", "invasion", "occupation", "massacre", "massacres", "raid", "raids",
                 "blockade", "siege", "annexation", "demolition", "demolitions", "abduction",
                 "kidnapping", "detention", "execution", "executions", "storming", "incursion",
                 "incursions", "offensive", "shooting", "crackdown", "sanctions", "violation",
                 "violations", "crimes", "arrest", "arrests", "closure", "expansion", "deployment",
                 "destruction", "displacement", "expulsion", "seizure", "persecution", "decision"}

#: situations (DESIGN.md: "a situation (regional tensions)")
_SITUATION_NOUNS = {"tension", "tensions", "conflict", "war", "crisis", "fighting", "violence",
                    "hostilities", "escalation", "clashes", "unrest", "dispute", "standoff",
                    "stand-off", "bloodshed", "confrontation", "insurgency", "rift", "situation"}
_SITUATION_PREPOSITIONS = {"in", "between", "with", "along", "on", "over", "around", "across",
                           "against", "at", "near", "inside", "within"}
_ACTION_PREPOSITIONS = {"on", "against", "of", "in", "near", "at", "by", "from", "into", "across",
                        "to", "toward", "towards", "inside", "over"}
#: words allowed before a situation or action noun ("the *ongoing regional* tensions")
_PREMODIFIERS = {"rising", "growing", "current", "ongoing", "regional", "escalating", "renewed",
                 "recent", "heightened", "wider", "armed", "sectarian", "military", "political",
                 "humanitarian", "border", "civil", "deadly", "bloody", "continuing", "latest", "new",
                 "full-scale", "brutal", "unprecedented", "repeated", "continued", "illegal",
                 "indiscriminate", "deliberate", "direct", "terrorist", "cross-border", "air",
                 "drone", "missile", "rocket", "nuclear", "territorial", "maritime", "ethnic",
                 "internal", "latest", "further", "fresh", "heavy", "violent", "unlawful"}
_DETERMINERS = {"the", "a", "an", "this", "these", "that", "those", "any", "all", "our", "their",
                "its", "his", "her", "such", "every", "further"}

#: words that end a noun phrase when reading forward
_BOUNDARY = {"and", "or", "but", "which", "that", "who", "whom", "whose", "as", "because", "while",
             "since", "after", "before", "when", "if", "saying", "calling", "urging", "adding",
             "stressing", "noting", "said", "says", "told", "is", "are", "was", "were", "be", "been",
             "being", "has", "have", "had", "will", "would", "could", "should", "must", "can", "may",
             "might", "do", "does", "did", "it", "they", "he", "she", "we", "i", "you", "not",
             "so", "than", "then", "where", "with", "without", "despite", "following", "amid",
             "during", "under", "until", "unless", "whether", "through", "via", "within", "by",
             "throughout", "what", "which", "instead", "rather"}
_ED_NOUN_MODIFIERS = {"armed", "occupied", "united", "disputed", "besieged", "detained", "displaced",
                      "wounded", "injured", "elected", "affected", "illegal", "kidnapped", "abducted"}
_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "today", "yesterday", "tomorrow", "tonight", "january", "february", "march", "april",
               "may", "june", "july", "august", "september", "october", "november", "december",
               "week", "weekend", "morning", "evening", "night", "year", "month", "overnight",
               "earlier", "later", "ago"}
_MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september",
           "october", "november", "december"}
_ADVERBS = {"strongly", "firmly", "unequivocally", "categorically", "vehemently", "fiercely",
            "sharply", "again", "also", "once", "repeatedly", "publicly", "fully", "today",
            "yesterday", "further", "therefore", "jointly", "formally", "explicitly", "in", "the",
            "strongest", "possible", "terms", "most", "unreservedly", "utterly", "resolutely"}
_PRONOUNS = {"it", "them", "this", "that", "these", "those", "him", "her", "us", "me", "you",
             "everyone", "everybody", "all", "both", "itself", "themselves", "ourselves", "one",
             "what", "which", "anyone", "anybody", "nobody", "something", "anything", "nothing"}
_SPEECH_VERBS = {"said", "says", "say", "told", "tells", "stated", "states", "added", "adds",
                 "announced", "declared", "stressed", "noted", "warned", "insisted", "explained",
                 "affirmed", "reaffirmed", "wrote", "tweeted", "according"}
#: capitalised words that open sentences or clauses and are no actor ("*The* talks", "*We* urge")
_NOT_ACTORS = {"the", "a", "an", "we", "i", "it", "its", "this", "that", "these", "those", "our",
               "their", "his", "her", "they", "he", "she", "you", "your", "my", "however", "but",
               "and", "or", "in", "on", "at", "for", "if", "when", "while", "after", "before",
               "there", "here", "today", "yesterday", "tomorrow", "any", "all", "no", "every", "some",
               "both", "each", "as", "so", "yet", "also", "then", "thus", "meanwhile", "nothing",
               "nobody", "none", "what", "why", "how", "who", "where", "let", "since", "although",
               "though", "despite", "first", "second", "finally", "unfortunately", "moreover",
               "instead", "mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "madam",
               "president", "minister", "prime", "secretary", "foreign", "ambassador", "spokesman",
               "spokeswoman", "spokesperson", "general", "chairman", "such", "many", "most", "one",
               "only", "even", "just", "now", "never", "again", "still", "by", "from", "with",
               "to", "of", "not", "once", "because", "unless", "until", "whether", "please",
               # days and months are capitalised but are never what a stance is toward (news dev)
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "june", "july", "august", "september",
               "october", "november", "december"}
#: capitalised words that open a sentence but name nobody ("*Police* fired tear gas", "*More* than")
_GENERIC_STARTERS = {"police", "protesters", "troops", "officials", "security", "federal", "several",
                     "thousands", "hundreds", "dozens", "residents", "witnesses", "sources", "analysts",
                     "critics", "experts", "negotiators", "forces", "authorities", "rebels",
                     "militants", "soldiers", "gunmen", "workers", "farmers", "students", "families",
                     "people", "civilians", "talks", "more", "less", "fewer", "everyone", "violence",
                     "nobody", "those", "anyone", "neither", "either", "other", "others", "local",
                     "state", "government", "army", "military", "diplomats", "leaders", "ministers",
                     "doctors", "mobs", "verification", "under", "two", "three", "four", "five", "six",
                     "seven", "eight", "nine", "ten", "twenty", "hundred", "dozen", "every", "no"}
_NAME_JOINERS = {"of", "for", "de", "del", "da", "dos", "das", "di", "al", "el", "bin", "ibn", "van",
                 "von", "du", "la", "le"}
#: endings of nationality adjectives: Israeli, Thai, Iranian, Korean, Chinese, British, American...
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "i", "ican", "ic", "ch")

FALLBACK_TARGET = "the situation"

_TOKEN = re.compile(r"[A-Za-z0-9][\w\-]*(?:['’][A-Za-z]+)?\.?|[^\w\s]")


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def lower(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def bare(self) -> str:
        """The word without a possessive ('Iran's' -> 'Iran') or a sentence-final full stop."""
        word = re.sub(r"['’]s?$", "", self.text)
        return word[:-1] if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", word) else word


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    opens = True
    for m in _TOKEN.finditer(text):
        word = m.group()
        tokens.append(_Token(word, m.start(), m.end(), opens))
        if word in {".", "!", "?", ";", ":", "\"", "“", "”", "(", "—", "–"} or (
                word.endswith(".") and len(word) > 2 and not word[:-1].isupper()):
            opens = True
        elif word not in {"'", "‘", "’"}:
            opens = False
    return tokens


def _phrase_forward(tokens: list[_Token], i: int, max_words: int, stop: Sequence[str] = ()) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase that starts at token i (empty when none)."""
    j = i
    between = i > 0 and tokens[i - 1].lower == "between"
    while j < len(tokens) and (j - i < max_words or tokens[j].is_capitalised and tokens[j - 1].is_capitalised):
        t = tokens[j]
        if not t.is_word or t.text.endswith(".") and j > i and not t.text[:-1].isupper():
            if t.is_word:  # sentence-final word: keep it, then stop
                j += 1
            break
        low = t.lower
        between = between or low == "between"
        if low == "and" and j > i and j + 1 < len(tokens) and tokens[j + 1].is_word and (
                between or tokens[j - 1].is_capitalised
                and (tokens[j + 1].is_capitalised or tokens[j + 1].lower == "the")):
            j += 1  # "India and Pakistan", "between the army and the rebels"
            between = False
            continue
        if low in _MONTHS and j > i:
            if tokens[j - 1].lower in {"in", "on", "since", "last", "next", "this", "of", "early", "late"}:
                j -= 1
            break
        if low in _BOUNDARY or low in stop or low in _TIME_WORDS and not t.is_capitalised:
            break
        if low in _TIME_WORDS and j > i and tokens[j - 1].lower in {"on", "in", "last", "next", "this"}:
            j -= 1
            break
        if (low.endswith("ed") and low not in _ED_NOUN_MODIFIERS and not t.is_capitalised and j > i
                and tokens[j - 1].lower not in _DETERMINERS | _ACTION_PREPOSITIONS | {"of"}):
            break
        j += 1
    # drop trailing function words ("the attack on" -> "the attack")
    while j > i and (tokens[j - 1].lower in _DETERMINERS | _ACTION_PREPOSITIONS | _SITUATION_PREPOSITIONS
                     | {"of", "to", "and", "or", "s", "for", "as"}):
        j -= 1
    return i, j


def _span_text(text: str, tokens: list[_Token], i: int, j: int) -> str:
    phrase = re.sub(r"\s+", " ", text[tokens[i].start:tokens[j - 1].end]).rstrip(".,;:").strip()
    first, _, rest = phrase.partition(" ")
    if rest and first.lower() in _DETERMINERS:  # "The killing of ..." at a sentence start
        phrase = f"{first.lower()} {rest}"
    return phrase


def _premodifiers_back(tokens: list[_Token], k: int) -> int:
    """Index of the first token of the modifiers before the noun at k ("the ongoing Israeli ...")."""
    i = k
    while i > 0 and k - i < 4:
        t = tokens[i - 1]
        if not t.is_word:
            break
        low = t.lower
        if low in _DETERMINERS:
            i -= 1
            break
        possessive = bool(re.search(r"['’]s?$", t.text))
        if low in _PREMODIFIERS or (t.is_capitalised and low not in _NOT_ACTORS) or possessive:
            i -= 1
            continue
        break
    return i


def _verb_objects(text: str, tokens: list[_Token]) -> list[tuple[str, int]]:
    """(phrase, position) for the objects of stance verbs."""
    lowered = text.lower()
    starts = {t.start: n for n, t in enumerate(tokens)}
    found = []

    def object_after(end: int, stop: Sequence[str], max_words: int = 7) -> tuple[int, int] | None:
        n = next((n for n, t in enumerate(tokens) if t.start >= end), None)
        if n is None:
            return None
        while n < len(tokens) and tokens[n].lower in _ADVERBS and not (
                tokens[n].lower == "the" and n + 1 < len(tokens) and tokens[n + 1].lower not in _ADVERBS):
            n += 1
        if n >= len(tokens):
            return None
        i, j = _phrase_forward(tokens, n, max_words, stop)
        if j <= i or (j - i == 1 and tokens[i].lower in _PRONOUNS) or tokens[i].lower in {"for", "of", "on", "with", "from", "about", "at"}:
            return None
        return i, j

    patterns = ([(v, stop, "object") for v, stop in _OBJECT_VERBS]
                + [(v, ("to",), "addressee") for v in _ADDRESSEE_VERBS]
                + [(v, (), "demand") for v in _DEMAND_VERBS]
                + [(v, (), "commit") for v in _COMMIT_VERBS])
    for verb, stop, kind in patterns:
        for m in re.finditer(rf"\b{verb}\b", lowered):
            if m.start() not in starts:
                continue
            span = object_after(m.end(), stop)
            if span is None:
                continue
            i, j = span
            if kind in {"demand", "commit"}:
                if kind == "commit" and tokens[i].lower == "to":
                    i += 1
                # "called for restraint in the Red Sea": the target is the step's complement
                heads = [n for n in range(i, j) if tokens[n].lower in _STEP_NOUNS]
                if heads:
                    k = heads[0]
                    if k + 1 < len(tokens) and tokens[k + 1].lower in _ACTION_PREPOSITIONS | _SITUATION_PREPOSITIONS:
                        ci, cj = _phrase_forward(tokens, k + 2, 6)
                        if cj > ci:
                            found.append((_span_text(text, tokens, ci, cj), tokens[ci].start))
                    continue
            if j > i:
                found.append((_span_text(text, tokens, i, j), tokens[i].start))
    found.sort(key=lambda item: item[1])
    return found


def _noun_phrases(text: str, tokens: list[_Token], nouns: set[str], prepositions: set[str],
                  need_complement: bool) -> list[tuple[str, int]]:
    """Phrases headed by one of ``nouns``, with their modifiers and a prepositional complement."""
    found = []
    for k, t in enumerate(tokens):
        if t.lower not in nouns or t.is_capitalised and not t.sentence_start:
            continue
        i = _premodifiers_back(tokens, k)
        j = k + 1
        if j < len(tokens) and tokens[j].lower in prepositions:
            _, cj = _phrase_forward(tokens, j + 1, 5)
            if cj > j + 1:
                j = cj
        if need_complement and j == k + 1 and i == k:
            continue
        phrase = _span_text(text, tokens, i, j)
        if phrase.lower() in _SITUATION_NOUNS and phrase.lower() in {"situation"}:
            continue
        found.append((phrase, tokens[i].start))
    return found


def _actors(text: str, tokens: list[_Token]) -> list[tuple[str, int, bool]]:
    """(name, position, looks like the speaker) for runs of capitalised words."""
    found = []
    n = 0
    while n < len(tokens):
        t = tokens[n]
        if not (t.is_word and t.is_capitalised) or t.lower in _NOT_ACTORS and not _is_acronym(t.text):
            n += 1
            continue
        if t.lower in _TIME_WORDS:
            n += 1
            continue
        i = j = n
        while j < len(tokens):
            cur = tokens[j]
            if cur.is_word and cur.is_capitalised and cur.lower not in _TIME_WORDS and (
                    cur.lower not in _NOT_ACTORS or j == i and _is_acronym(cur.text)):
                j += 1
                if re.search(r"['’]s?$", cur.text):  # "Iran's": the name ends here
                    break
                continue
            if (cur.lower in _NAME_JOINERS - {"and"} and j + 1 < len(tokens) and tokens[j + 1].is_word
                    and tokens[j + 1].is_capitalised and tokens[j + 1].lower not in _NOT_ACTORS):
                j += 1
                continue
            break
        if j == i:
            n += 1
            continue
        words = [tokens[m].bare if m == j - 1 else tokens[m].text for m in range(i, j)]
        name = " ".join(words)
        if j - i == 1 and t.sentence_start and (
                t.lower in _GENERIC_STARTERS or re.search(r"(?:ing|ly|ed)$", t.lower)):
            n = j  # "Dragging young men off the streets...", "Police fired..."
            continue
        start, end = i, j
        # demonym + noun: "the Iranian regime", "Israeli strikes"
        if (j - i == 1 and words[0].lower().endswith(_DEMONYM_ENDINGS) and j < len(tokens)
                and not words[0].lower().endswith("stan")
                and tokens[j].is_word and not tokens[j].is_capitalised
                and not (tokens[j].lower.endswith("ed") and tokens[j].lower not in _ED_NOUN_MODIFIERS)
                and tokens[j].lower not in _BOUNDARY | _DETERMINERS | _ACTION_PREPOSITIONS
                | _SITUATION_PREPOSITIONS | {"of", "to"}
                and not re.search(r"['’]", tokens[i].text)):
            end = j + 1
            name = f"{words[0]} {tokens[j].bare}"
            if i > 0 and tokens[i - 1].lower == "the":
                start = i - 1
                name = "the " + name
        before = tokens[start - 1].lower if start > 0 else ""
        after = tokens[end].lower if end < len(tokens) else ""
        clause_ends = end == len(tokens) or not tokens[end].is_word
        speaker = (after in _SPEECH_VERBS  # "Sisi said ..."
                   or before in {"said", "says", "told"} and clause_ends  # "..., said Sisi."
                   or (before == "to" and start > 1 and tokens[start - 2].lower == "according"))
        if name and name.lower() not in _NOT_ACTORS and len(name) > 1:
            found.append((name, tokens[start].start, speaker))
        n = max(j, end)
    return found


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.replace(".", "").isupper()


def _key(phrase: str) -> str:
    """Compare phrases without case, leading determiners or a possessive."""
    words = re.sub(r"['’]s\b", "", phrase.lower()).split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def propose_targets(text: str, max_targets: int = 3) -> list[str]:
    """Up to ``max_targets`` targets the quote is about, best first; never empty.

    Candidates come from the rules in the module docstring, ranked by kind (stance-verb objects,
    action phrases, situations, actors, contained actors, speaker-like actors) and then by position.
    Duplicates (ignoring case and leading determiners) and phrases inside an already chosen phrase
    of the same or a lower kind are dropped. With nothing found, returns ``["the situation"]``.
    """
    if max_targets < 1:
        raise ValueError(f"max_targets must be at least 1, got {max_targets}")
    tokens = _tokens(text or "")
    phrases: list[str] = []
    for group in (_verb_objects(text, tokens),
                  _noun_phrases(text, tokens, _ACTION_NOUNS, _ACTION_PREPOSITIONS, need_complement=True),
                  _noun_phrases(text, tokens, _SITUATION_NOUNS, _SITUATION_PREPOSITIONS, need_complement=False)):
        for phrase, _ in group:
            key = _key(phrase)
            if key and not any(key == _key(p) or f" {key} " in f" {_key(p)} " for p in phrases):
                phrases.append(phrase)
    actors = _actors(text, tokens)
    free = [a for a, _, speaker in actors if not speaker
            and not any(f" {_key(a)} " in f" {_key(p)} " for p in phrases)]
    inside = [a for a, _, speaker in actors if not speaker and a not in free]
    speakers = [a for a, _, speaker in actors if speaker]
    ranked: list[str] = []
    for candidate in phrases + free + inside + speakers:
        if _key(candidate) and all(_key(candidate) != _key(r) for r in ranked):
            ranked.append(candidate)
        if len(ranked) == max_targets:
            break
    return ranked or [FALLBACK_TARGET]


def _head_word(target: str) -> str:
    """The word a target is about: before its first preposition, after its modifiers.

    "the attack on the aid convoy" -> "attack"; "Israel" -> "Israel"; "tensions in the Red Sea" ->
    "tensions"; "the United States" -> "States" (the last word of a name).
    """
    words = re.findall(r"[\w\-]+", target)
    head = []
    for w in words:
        if w.lower() in _ACTION_PREPOSITIONS | _SITUATION_PREPOSITIONS | {"of", "for"} and head:
            break
        if w.lower() not in _DETERMINERS:
            head.append(w)
    return head[-1] if head else (words[-1] if words else "")


def _stem(word: str) -> str:
    word = re.sub(r"['’]s?$", "", word.lower())
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def mentions_target(text: str, target: str) -> bool:
    """Whether ``text`` mentions ``target``: the whole target, a name in it, or its head word.

    Case-insensitive. A name is a run of capitalised words of the target ("Red Sea" in "tensions in
    the Red Sea"). Head words match across plural and possessive ("attack" ~ "attacks", "Iran" ~ "Iran's"), and a
    capitalised head of 4+ letters also matches its derived forms ("Israel" ~ "Israeli",
    "Russia" ~ "Russian").
    """
    target = target.strip()
    if not target:
        return False
    if re.search(rf"(?<!\w){re.escape(target)}(?!\w)", text, flags=re.IGNORECASE):
        return True
    # a name inside the target: "tensions in the Red Sea" is mentioned by "the Red Sea shipping lanes"
    for name in re.findall(r"[A-Z][\w\-]*(?:\s+(?:of\s+)?[A-Z][\w\-]*)*", target):
        if name.lower() not in _NOT_ACTORS and re.search(
                rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            return True
    head = _head_word(target)
    if not head:
        return False
    head_stem = _stem(head)
    proper = head[0].isupper() and len(head) >= 4
    for word in re.findall(r"[\w\-]+(?:['’]s?)?", text):
        stem = _stem(word)
        if stem == head_stem or (proper and word.lower().startswith(head.lower())):
            return True
    return False


def match_targets(text: str, targets: Sequence[str]) -> list[str]:
    """The user's ``targets`` that the quote mentions, in the given order; all of them if none match.

    Returning all targets when none is mentioned keeps every quote scored against every target the
    user asked about (the stance model then decides, usually "other").
    """
    targets = [t for t in targets if t and t.strip()]
    matched = [t for t in targets if mentions_target(text, t)]
    return matched or list(targets)
