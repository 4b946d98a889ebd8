"""Cue words: the verbs and phrases that report speech, with their inflections.

Where the lists come from:
- the reporting verbs of Quirk et al., *A Comprehensive Grammar of the English Language* (1985,
  sections 14.31 and 16.33: "verbs of saying"), and Levin's *English Verb Classes and Alternations*
  (1993): "verbs of communication" (37.1 transfer of a message, 37.7 say verbs, 37.8 complain verbs,
  37.9 advise verbs) and "judgment verbs" (33: condemn, denounce, praise...);
- the cue inventory of the PARC 3.0 attribution guidelines (Pareti 2012), which adds belief and
  knowledge cues (believe, think, know) and document cues (report, show, find);
- the CAMEO codebook's verbal event roots 01-05 and 11-13 (Schrodt 2012), which name the speech acts
  our stance labels rest on (appeal, pledge, urge, accuse, condemn, reject, warn).

A *lemma* maps to its inflected forms; ``CUE_FORMS`` maps every inflected form back to the lemma. The
groups say how a cue takes its content, which decides where the quote's span starts.
"""

from __future__ import annotations


def _inflect(lemma: str) -> tuple[str, ...]:
    """Regular English inflections of a verb lemma (say -> says, saying, said is listed as irregular)."""
    if lemma.endswith("e") and not lemma.endswith("ee"):
        ing = lemma[:-1] + "ing"
        past = lemma + "d"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        ing = lemma + "ing"
        past = lemma[:-1] + "ied"
    elif lemma in _DOUBLE_FINAL:
        ing = lemma + lemma[-1] + "ing"
        past = lemma + lemma[-1] + "ed"
    else:
        ing = lemma + "ing"
        past = lemma + "ed"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    return (lemma, third, ing, past)


_DOUBLE_FINAL = {"admit", "commit", "regret", "plan", "omit", "submit", "refer", "prefer", "rebut"}

_IRREGULAR = {
    "say": ("say", "says", "saying", "said"),
    "tell": ("tell", "tells", "telling", "told"),
    "write": ("write", "writes", "writing", "wrote", "written"),
    "think": ("think", "thinks", "thinking", "thought"),
    "know": ("know", "knows", "knowing", "knew", "known"),
    "find": ("find", "finds", "finding", "found"),
    "show": ("show", "shows", "showing", "showed", "shown"),
    "hold": ("hold", "holds", "holding", "held"),
    "feel": ("feel", "feels", "feeling", "felt"),
    "forbid": ("forbid", "forbids", "forbidding", "forbade", "forbidden"),
    "foresee": ("foresee", "foresees", "foreseeing", "foresaw", "foreseen"),
    "swear": ("swear", "swears", "swearing", "swore", "sworn"),
    "undertake": ("undertake", "undertakes", "undertaking", "undertook", "undertaken"),
    "put": ("put", "puts", "putting"),
    "speak": ("speak", "speaks", "speaking", "spoke", "spoken"),
    "bid": ("bid", "bids", "bidding"),
    "understand": ("understand", "understands", "understanding", "understood"),
}

# Verbs that take a finite clause or a quotation: "X said (that) ...", "..., X said."
SAY_VERBS = (
    "say tell add note explain argue claim assert insist maintain contend declare announce "
    "report write tweet post confirm deny acknowledge admit concede reveal disclose suggest "
    "indicate warn caution predict estimate reply respond answer counter retort recall remark "
    "observe comment emphasize emphasise stress reiterate reaffirm repeat underline "
    "underscore highlight complain lament boast brag allege charge testify assure reassure "
    "promise pledge vow swear guarantee agree threaten signal hint speculate conclude continue "
    "believe think know feel hope expect fear worry doubt understand find show predict "
    "mention joke quip muse recount describe grumble protest concur wonder ask "
    "announce proclaim affirm urge demand acknowledge "
    # manner of speaking (Levin 37.3)
    "yell shout scream cry whisper sing chant exclaim plead beg mutter snap sigh laugh murmur "
    "gasp shriek bellow roar stammer groan"
).split()

# Verbs that take an object and then an infinitive or clause: "X urged Y to ...", "X told Y that ..."
OBJECT_VERBS = "tell urge call ask warn remind assure reassure inform advise persuade press implore".split()

# Verbs whose content is a noun phrase or an infinitive: "X condemned the attack", "X vowed to ..."
ACT_VERBS = (
    "condemn denounce criticize criticise blame accuse decry deplore slam blast attack reject "
    "praise welcome applaud hail thank support back endorse oppose dismiss question "
    "urge demand appeal pledge vow promise commit offer propose seek want "
    "stress emphasize emphasise underline underscore reaffirm reiterate highlight cite "
    "discuss review express voice announce threaten "
    "describe brand liken compare label dub characterize characterise"
).split()

# Multi-word cues, matched as phrases (lower case).
PHRASE_CUES = (
    "according to",
    "called for",
    "calls for",
    "calling for",
    "call for",
    "called on",
    "calls on",
    "calling on",
    "call on",
    "pointed out",
    "points out",
    "pointing out",
    "went on to say",
    "made clear",
    "makes clear",
    "made it clear",
    "in a statement",
)

# Nouns heading a document or speech that can be a source: "a statement from X said ..."
DOCUMENT_NOUNS = (
    "statement report study survey poll analysis memo letter tweet post release communique "
    "communiqué document filing ruling indictment complaint lawsuit suit affidavit transcript "
    "editorial article interview speech announcement readout post message video ad advertisement "
    "spot email e-mail decision order verdict resolution declaration"
).split()


def forms(lemma: str) -> tuple[str, ...]:
    return _IRREGULAR.get(lemma) or _inflect(lemma)


def _table(lemmas: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for lemma in lemmas:
        for form in forms(lemma):
            table.setdefault(form, lemma)
    return table


SAY_FORMS: dict[str, str] = _table(SAY_VERBS)
OBJECT_FORMS: dict[str, str] = _table(OBJECT_VERBS)
ACT_FORMS: dict[str, str] = _table(ACT_VERBS)
# "stated" reports speech; "state" and "states" are far more often nouns (state income tax).
SAY_FORMS.update({"stated": "state", "stating": "state"})
CUE_FORMS: dict[str, str] = {**ACT_FORMS, **OBJECT_FORMS, **SAY_FORMS}

# Verbs of saying whose infinitive complement is itself reported speech ("vowed to retaliate");
# for the others an infinitive is not a report ("hopes to be elected", "expected to win").
INFINITIVE_CUES = set(
    "promise pledge vow swear agree threaten offer ask urge warn demand tell call appeal commit "
    "propose seek undertake want".split()
)

# Cues that may close a sentence after the content: "..., the minister said." Only verbs of saying
# and belief do this; "..., he condemned." is not English.
POSTPOSED_FORMS: dict[str, str] = {
    form: lemma
    for form, lemma in SAY_FORMS.items()
    if lemma
    in set(
        "say tell add note explain argue claim assert insist maintain contend declare announce "
        "report write tweet post confirm acknowledge admit concede suggest warn caution predict reply "
        "respond answer counter recall remark observe comment emphasize emphasise stress reiterate "
        "complain allege charge testify promise vow continue believe think know fear hope ask joke "
        "wonder conclude repeat quip understand yell shout scream cry whisper sing chant exclaim "
        "plead beg mutter snap sigh laugh murmur gasp shriek bellow roar stammer groan".split()
    )
}
