"""Named mentions of people and organisations in a document, with the titles and roles around them.

A name is a run of capitalised words ("Mohammed Shia Al-Sudani", "G.K. Butterfield"), possibly with
lower-case particles ("bin", "al-", "de", "van"). The words before it that are titles or roles ("Iraqi
PM", "Sen.", "Secretary of State") and an apposition after it ("Al-Sudani, the Iraqi prime minister,")
are kept as the person's roles, so that "the Iraqi PM" can later be matched to him.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Titles and role words that may stand before a name (AP Stylebook's titles, plus common
# government and military roles). Lower case; "pm" covers "PM".
TITLE_WORDS = set(
    """mr mr. mrs mrs. ms ms. dr dr. prof prof. sen sen. rep rep. gov gov. gen gen. lt lt. col col.
    maj maj. capt capt. adm adm. sgt sgt. rev rev. hon hon. amb amb. atty atty. pres pres. supt supt.
    president vice prime minister pm premier chancellor secretary foreign defence defense interior
    finance state general attorney senator congressman congresswoman representative governor mayor
    ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chair chief justice judge
    king queen prince princess emir sheikh sultan ayatollah pope cardinal bishop archbishop rabbi imam
    commander colonel major captain lieutenant sergeant admiral leader speaker majority minority
    deputy acting former late then director head ceo founder executive editor anchor host
    host columnist reporter correspondent analyst economist professor dean coach former
    democratic republican gop labour labor conservative liberal""".split()
)
# Words that mark a name as an organisation rather than a person.
ORGANISATION_WORDS = set(
    """party committee council ministry department office agency administration campaign house
    senate congress parliament assembly court commission bank fund union association institute
    foundation university college school times post journal news network press agency reuters
    company corp corporation inc group organization organisation army navy force forces police
    service services government state states nations league alliance coalition movement front
    center centre board bureau authority network channel magazine tribune herald guardian
    politifact cnn fbi cia nato imf un eu who gop""".split()
)
PARTICLES = {"bin", "ibn", "al", "el", "de", "da", "di", "del", "van", "von", "der", "la", "le", "abu", "bint"}

# Given names with a strong gender reading, for agreement with "he" and "she". A short list of
# common English, Arabic, Spanish, French, Russian and African first names written for this project.
MALE_NAMES = set(
    """john james robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
    edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
    benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
    nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
    gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel
    logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason
    philip louis barack bernie mitch chuck ted mike rand marco jeb newt bill vladimir
    sergei dmitry alexei boris emmanuel francois nicolas olaf recep benjamin yair naftali mahmoud
    mohammed muhammad mohamed ahmed ali hassan hussein omar abdullah khalid ibrahim yusuf mustafa
    salman bashar hosni abdel fattah haider nouri ismail ismael masoud jalal nechirvan qasim
    xi narendra rahul imran nawaz shehbaz volodymyr petro antony lloyd jake
    fumio shinzo justin pierre jean jacques luis carlos jorge miguel pedro javier andres manuel
    nelson cyril jacob thabo uhuru william paul abiy isaias yoweri bola muhammadu""".split()
)
FEMALE_NAMES = set(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
    heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith
    megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
    jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa
    sophia marie diana brittany natalie isabella charlotte rose alexis kayla hillary nikki kamala
    elizabeth condoleezza madeleine nancy theresa angela ursula kaja annalena giorgia marine
    fatima aisha layla mariam zainab benazir indira sanna jacinda tsai ellen
    ngozi amina samia sahle""".split()
)
MALE_WORDS = {"mr", "mr.", "king", "prince", "sheikh", "emir", "sultan", "congressman", "spokesman", "chairman", "father", "son", "brother", "husband", "man", "ayatollah", "pope", "cardinal", "bishop", "archbishop", "rabbi", "imam"}
FEMALE_WORDS = {"mrs", "mrs.", "ms", "ms.", "queen", "princess", "congresswoman", "spokeswoman", "chairwoman", "mother", "daughter", "sister", "wife", "woman", "widow", "madam"}

_NAME_TOKEN = re.compile(r"[A-Z][\w'’.-]*|[a-z]{1,3}-[A-Z][\w'’.-]*")


@dataclass
class NameMention:
    start: int
    end: int
    core: tuple[str, ...]  # the name itself, without titles: ("Mohammed", "Shia", "Al-Sudani")
    roles: set[str] = field(default_factory=set)  # lower-cased title and role words around it
    organisation: bool = False
    subject: bool = False  # first noun phrase of its sentence, or the source of a quote


def strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _is_title(word: str) -> bool:
    low = word.lower()
    return low in TITLE_WORDS or low.rstrip(".") in TITLE_WORDS


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split capitalised words into leading titles/roles and the name core.

    Everything up to the last title word is role: "Iraqi Prime Minister | Mohammed Shia Al-Sudani",
    "Senate Majority Leader | Mitch McConnell", "Secretary of State | John Kerry". A run that ends in
    a title ("Iraqi PM", "the President") has no core: it is a description, not a name.
    """
    last_title = -1
    for i, word in enumerate(words):
        if _is_title(word) or word.lower() == "of" and 0 < i < len(words) - 1:
            last_title = i
    return words[: last_title + 1], words[last_title + 1 :]


def gender_of(mention_words: list[str], roles: set[str]) -> str | None:
    """'male', 'female' or None from titles, role words and the first given name."""
    if roles & MALE_WORDS:
        return "male"
    if roles & FEMALE_WORDS:
        return "female"
    if mention_words:
        first = mention_words[0].lower().rstrip(".")
        if first in MALE_NAMES and first not in FEMALE_NAMES:
            return "male"
        if first in FEMALE_NAMES and first not in MALE_NAMES:
            return "female"
    return None


def is_organisation(core: list[str]) -> bool:
    if not core:
        return False
    if any(w.lower().strip(".") in ORGANISATION_WORDS for w in core):
        return True
    return len(core) == 1 and core[0].isupper() and len(core[0]) >= 2  # FBI, NATO, IMF
