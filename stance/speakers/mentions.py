"""Source mentions: the noun phrase that names who said something, found next to its cue.

No parser: a source is the noun phrase right before a cue ("the Iraqi PM said") or right after an
inverted one ("said the Iraqi PM"), read off the tokens with closed-class word lists. This follows
the shallow patterns of Pouliquen, Steinberger and Best (2007, "Automatic detection of quotations
in multilingual news") and the source rules of the GenderGapTracker (Asr et al. 2021), extended with
appositions ("David Wasserman, House editor for the Cook Political Report, said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.segment import Token

PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "she": "female", "her": "female",
    "it": "thing", "its": "thing", "they": "plural", "them": "plural", "their": "plural",
    "we": "speaker", "i": "speaker", "you": "addressee",
}  # fmt: skip
SUBJECT_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you"}
RELATIVE_PRONOUNS = {"who", "which", "that"}

DETERMINERS = set(
    "the a an this these those his her its their our my your some many several most few both "
    "each every other another any no one two three four five six seven eight nine ten dozens "
    "hundreds thousands".split()
)
# Prepositions that may sit inside a source: "attorneys for the family", "a statement from the office"
NP_PREPOSITIONS = {"of", "for", "from", "at", "with", "in", "on", "to", "close"}

# Words that end a source noun phrase when walking back from its cue: verbs, auxiliaries,
# conjunctions, subordinators and adverbs (closed classes, so a list is complete enough).
STOP_WORDS = set(
    """and or but nor so yet because although though while whereas if unless since as when whenever
    where after before until than then that whether once also not n't never is was were are be been
    being am has have had having do does did will would shall should can could may might must ought
    to said says say told tells tell very just even still only already however meanwhile moreover
    thus therefore instead indeed perhaps maybe really now here there what whom whose how why
    which who him them me us said""".split()
)

TIME_WORDS = set(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow
    morning afternoon evening night week month year weekend earlier later last this next recently
    previously""".split()
)

# Words between a source and its cue that do not belong to either ("he has also repeatedly said").
AUXILIARIES = set(
    """has have had is was were are will would could should might may must can did does do also
    later previously then repeatedly again recently reportedly publicly privately often once
    already never not n't still even just now earlier first further separately similarly simply
    explicitly quickly flatly angrily strongly sharply openly long has've 've 's 'd 'll""".split()
)

# Heads that make a noun phrase a plausible speaker. People by role, organisations, and documents.
# Compiled from the AP Stylebook's titles and the ACE 2005 person/organisation subtypes.
ROLE_NOUNS = set(
    """president minister premier chancellor king queen prince emir sheikh sultan leader chief head
    spokesman spokeswoman spokesperson spokespeople official officials aide aides adviser advisers
    advisor advisors secretary ambassador envoy diplomat diplomats senator senators representative
    congressman congresswoman lawmaker lawmakers legislator governor mayor councillor councilor
    commissioner director chairman chairwoman chair ceo executive executives founder manager
    general commander officer officers colonel major captain lieutenant sergeant admiral soldier
    soldiers troops police policeman spokesman judge justice justices prosecutor prosecutors
    attorney attorneys lawyer lawyers counsel candidate nominee campaign candidates delegate delegates
    member members activist activists protesters protester demonstrators residents resident
    witness witnesses victim victims survivor survivors doctor doctors nurse nurses scientist
    scientists researcher researchers expert experts analyst analysts economist economists professor
    historian pollster strategist consultant operative operatives source sources observer observers
    critic critics supporter supporters opponent opponents voter voters worker workers farmer farmers
    student students teacher teachers parent parents father mother son daughter wife husband brother
    sister friend friends neighbor neighbours neighbors man woman men women people person group
    groups party parties government governments administration ministry ministries department
    agency agencies office council committee commission parliament congress senate house court
    board union unions company companies firm firms bank banks organization organisation
    organizations coalition alliance army military navy forces rebels militants insurgents movement
    authorities authority state states country countries nation nations regime cabinet team
    network newspaper paper magazine outlet station channel website blog reporter reporters
    journalist journalists editor editors columnist correspondent anchor host
    statement report study survey poll analysis memo letter tweet post release communique
    communiqué document filing ruling indictment complaint lawsuit affidavit transcript editorial
    article interview speech announcement readout message video ad advertisement spot email
    decision order verdict resolution declaration data figures records estimates numbers polls
    republicans democrats conservatives liberals""".split()
)


@dataclass(frozen=True)
class Mention:
    """A source mention: token range [first, last] and its kind."""

    start: int
    end: int
    kind: str  # "pronoun", "name", "description", "relative"


def _is_word(tok: Token) -> bool:
    return tok.text[0].isalnum()


def _name_like(tok: Token) -> bool:
    return tok.text[0].isupper() or tok.text[0].isdigit()


def skip_auxiliaries(tokens: list[Token], k: int, lo: int) -> int:
    """Walk back from index k over auxiliaries, adverbs and time phrases; returns the new index."""
    while k >= lo:
        low = tokens[k].lower
        if low in AUXILIARIES or (low.endswith("ly") and len(low) > 4 and not tokens[k].text[0].isupper()):
            k -= 1
        elif low in TIME_WORDS and k - 1 >= lo and tokens[k - 1].lower in {"on", "last", "this", "earlier", "late"}:
            k -= 2
        elif low in TIME_WORDS and tokens[k].text[0].isupper():  # "Clinton Tuesday said"
            k -= 1
        else:
            break
    return k


# An age or a US party-and-state label set off by commas after a name: ", 25," / ", R-Ky.,"
_LABEL = re.compile(r"\d{1,3}|[RDI]-[A-Z][\w.]*")


def _skip_label_back(tokens: list[Token], k: int, lo: int) -> int:
    """Index of the name before a trailing label: "Rep. John Mica (R-Fla.)", "Quina Jones, 25,"."""
    if k >= lo and tokens[k].text == ")":
        for j in range(k - 1, max(lo, k - 8) - 1, -1):
            if tokens[j].text == "(":
                return j - 1
        return k
    if k - 2 >= lo and tokens[k].text == "," and tokens[k - 2].text == "," and _LABEL.fullmatch(tokens[k - 1].text):
        return k - 3
    return k


def noun_phrase_before(tokens: list[Token], k: int, lo: int = 0) -> Mention | None:
    """The noun phrase ending at token k (inclusive), reading backwards, or None.

    A parenthesised label or an age after a name belongs to the phrase ("Rep. John Mica (R-Fla.)").
    """
    if k < lo:
        return None
    inner = _skip_label_back(tokens, k, lo)
    if inner != k:
        mention = noun_phrase_before(tokens, inner, lo)
        return Mention(mention.start, k, mention.kind) if mention is not None and mention.kind == "name" else None
    head = tokens[k]
    if head.lower in SUBJECT_PRONOUNS:
        return Mention(k, k, "pronoun")
    if head.lower in RELATIVE_PRONOUNS - {"that"}:
        return Mention(k, k, "relative")
    if not _is_word(head) or head.lower in STOP_WORDS or head.lower in DETERMINERS or head.lower in TIME_WORDS:
        return None
    if head.lower in NP_PREPOSITIONS:
        return None
    j = k
    first = k
    while j - 1 >= lo and k - (j - 1) < 12:
        prev = tokens[j - 1]
        low = prev.lower
        if low in DETERMINERS:
            first = j - 1
            # "attorneys for the family": a preposition before the determiner continues the phrase
            if j - 2 >= lo and tokens[j - 2].lower in NP_PREPOSITIONS and j - 3 >= lo and _np_word(tokens[j - 3]):
                j -= 2
                continue
            break
        if low in NP_PREPOSITIONS:
            if j - 2 >= lo and _np_word(tokens[j - 2]) and tokens[j].lower not in TIME_WORDS:
                j -= 1
                continue
            break
        if prev.text in {"-", "&", "'", "’"} or prev.text == "." and j - 2 >= lo and tokens[j - 2].text[0].isupper():
            j -= 1
            continue
        if not _np_word(prev):
            break
        if low.endswith("ed") and prev.text[0].islower() and not (j - 2 >= lo and tokens[j - 2].lower in DETERMINERS):
            break  # a verb in the past tense, not an adjective after a determiner ("a retired general")
        first = j - 1
        j -= 1
    # never start on a preposition or a joining mark
    while first < k and (tokens[first].lower in NP_PREPOSITIONS or not _is_word(tokens[first])):
        first += 1
    words = tokens[first : k + 1]
    kind = "name" if any(t.text[0].isupper() for t in words if t.lower not in DETERMINERS) else "description"
    return Mention(first, k, kind)


def _np_word(tok: Token) -> bool:
    low = tok.lower
    return _is_word(tok) and low not in STOP_WORDS and low not in TIME_WORDS and low not in PRONOUNS


def noun_phrase_after(tokens: list[Token], k: int, hi: int) -> Mention | None:
    """The noun phrase starting at token k, reading forwards up to (not including) hi."""
    if k >= hi:
        return None
    first = tokens[k]
    if first.lower in SUBJECT_PRONOUNS:
        return Mention(k, k, "pronoun")
    if not _is_word(first) or first.lower in TIME_WORDS or (first.lower in STOP_WORDS and first.lower not in DETERMINERS):
        return None
    j = k
    last = k if first.lower not in DETERMINERS else None
    while j + 1 < hi and j - k < 14:
        nxt = tokens[j + 1]
        if nxt.text in {"-", "&"} or nxt.lower in NP_PREPOSITIONS and j + 2 < hi and _np_word(tokens[j + 2]):
            j += 1
            continue
        if nxt.lower in DETERMINERS and tokens[j].lower in NP_PREPOSITIONS:
            j += 1
            continue
        if nxt.text == "(" and last is not None:
            close = next((c for c in range(j + 2, min(hi, j + 8)) if tokens[c].text == ")"), None)
            if close is not None:  # "Rep. G.K. Butterfield (D-N.C.)"
                j = last = close
                continue
        if not _np_word(nxt) or nxt.lower in TIME_WORDS:
            break
        if nxt.lower.endswith("ed") and nxt.text[0].islower() and tokens[j].lower not in DETERMINERS:
            break  # a verb in the past tense: "the plan worked"
        j += 1
        last = j
    if last is None:
        return None
    while last > k and tokens[last].lower in NP_PREPOSITIONS | DETERMINERS:
        last -= 1
    words = tokens[k : last + 1]
    kind = "name" if any(t.text[0].isupper() for t in words if t.lower not in DETERMINERS) else "description"
    return Mention(k, last, kind)


def plausible_speaker(tokens: list[Token], mention: Mention) -> bool:
    """Whether a mention can be a source for a verb that is not purely a verb of saying.

    "The economy suffered" is not an attribution; "Officials condemned" is. Pronouns, names and
    phrases headed by a role, organisation or document noun pass.
    """
    if mention.kind in ("pronoun", "relative", "name"):
        return True
    return tokens[mention.end].lower in ROLE_NOUNS
