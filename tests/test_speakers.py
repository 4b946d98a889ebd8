"""Speaker attribution: mentions resolved to the fullest named form in the document."""

from stance import find_quotes


def speakers(text):
    return [(q.speaker.mention.text, q.speaker.name) if q.speaker else None for q in find_quotes(text)]


def test_title_description_and_pronoun_resolve_to_the_full_name():
    text = (
        "Iraqi Prime Minister Mohammed Shia Al-Sudani said on Tuesday that Iraq would not be drawn into the war.\n\n"
        "The Iraqi PM stressed the importance of protecting the advisers.\n\n"
        "He also said the government would investigate the attack.\n\n"
        '"We will not allow anyone to use our land," Al-Sudani told reporters.'
    )
    assert speakers(text) == [
        ("Iraqi Prime Minister Mohammed Shia Al-Sudani", "Mohammed Shia Al-Sudani"),
        ("The Iraqi PM", "Mohammed Shia Al-Sudani"),
        ("He", "Mohammed Shia Al-Sudani"),
        ("Al-Sudani", "Mohammed Shia Al-Sudani"),
    ]


def test_pronoun_goes_to_the_speaker_not_the_last_name_seen():
    text = (
        "Senator Maria Lopez met Governor Daniel Kerr in Phoenix on Monday.\n\n"
        "She said the water agreement would be signed before the summer."
    )
    assert speakers(text) == [("She", "Maria Lopez")]


def test_pronoun_prefers_the_subject_over_an_object_named_later():
    text = (
        "Mr. Haddad criticised Omar Saleh during the debate. "
        "He said the budget would never pass."
    )
    assert speakers(text)[-1] == ("He", "Haddad")


def test_surname_alone_links_to_the_full_name():
    text = (
        "Foreign Minister Anna Berg arrived in Vilnius late on Sunday. "
        '"The border will stay open," Berg said.'
    )
    assert speakers(text) == [("Berg", "Anna Berg")]


def test_organisation_keeps_its_name():
    text = "The World Health Organization said the outbreak was under control."
    assert speakers(text) == [("The World Health Organization", "World Health Organization")]


def test_unresolvable_description_keeps_its_mention_without_a_name():
    text = "The talks will resume on Thursday, a senior diplomat said."
    assert speakers(text) == [("a senior diplomat", None)]


def test_first_person_pronoun_is_not_guessed():
    text = "I said the road was closed."
    assert speakers(text) == [("I", None)]


def test_pronoun_prefers_the_last_speaker_named_by_a_description():
    text = (
        "Prime Minister Karim Hadi met Omar Saleh on Sunday. Saleh left for Paris on Monday.\n\n"
        "The prime minister said the talks would go on.\n\n"
        "He added that a deal was close."
    )
    assert speakers(text) == [("The prime minister", "Karim Hadi"), ("He", "Karim Hadi")]


def test_pronoun_prefers_the_subject_of_the_previous_sentence_after_an_opening_phrase():
    from stance.speakers.resolve import SpeakerResolver

    text = (
        "Omar Saleh, the opposition leader, criticised the plan on Sunday.\n\n"
        "Meanwhile, Prime Minister Karim Hadi, who met the envoy, defended the plan.\n\n"
        "He further emphasized that the plan would go ahead."
    )
    he = text.rindex("He ")
    assert SpeakerResolver(text, [(he, he + 2)]).resolve(he, he + 2, "pronoun").name == "Karim Hadi"


def test_headline_gives_no_quote_and_dateline_no_speaker():
    text = (
        "Mayor vows to keep the city safe\n\n"
        "NEW YORK (AP) — Mayor John Adams spoke to reporters on Sunday.\n\n"
        "He said the city was safe."
    )
    assert speakers(text) == [("He", "John Adams")]


def test_nested_attribution_keeps_the_channel_as_via():
    from stance.document import Span
    from stance.quotes.decode import DecodedQuote
    from stance.quotes.finder import to_quotes

    text = "A statement from the office said the minister reaffirmed the pledge."
    source, via = (text.index("the minister"), text.index(" reaffirmed")), (0, text.index(" said"))
    raw = DecodedQuote(((text.index("the pledge"), len(text) - 1),), "indirect",
                       (text.index("reaffirmed"), text.index(" the pledge")), source, "noun", via)
    (quote,) = to_quotes(text, [raw])
    assert quote.speaker.mention.text == "the minister"
    assert quote.speaker.via == Span.of(text, *via) and quote.speaker.via.text == "A statement from the office"
    assert quote.to_dict()["speaker"]["via"] == {"start": 0, "end": 27, "text": "A statement from the office"}
