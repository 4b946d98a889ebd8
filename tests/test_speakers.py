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
