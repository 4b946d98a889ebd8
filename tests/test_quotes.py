"""Quote extraction: each kind of quote, with the exact spans a reader would mark."""

from stance import find_quotes


def spans_text(text, quote):
    return [text[s:e] for s, e in quote.spans]


def only(text):
    quotes = find_quotes(text)
    assert len(quotes) == 1, [q.content for q in quotes]
    return quotes[0]


def test_direct_quote_before_its_attribution():
    text = '"We will not be intimidated," the foreign minister said on Tuesday.'
    q = only(text)
    assert q.kind == "direct"
    assert spans_text(text, q) == ['"We will not be intimidated,"']
    assert q.cue.text == "said"
    assert q.speaker.mention.text == "the foreign minister"


def test_curly_quote_with_inverted_attribution_and_apposition():
    text = "“The talks are over,” said Maria Ortega, a spokeswoman for the union."
    q = only(text)
    assert spans_text(text, q) == ["“The talks are over,”"]
    assert q.speaker.mention.text == "Maria Ortega, a spokeswoman for the union"
    assert q.speaker.name == "Maria Ortega"


def test_quote_interrupted_by_its_attribution_has_two_spans():
    text = "“We are ready to talk,” she said, “but not while the shelling goes on.”"
    q = only(text)
    assert spans_text(text, q) == ["“We are ready to talk,”", "“but not while the shelling goes on.”"]
    assert q.text == text[q.start : q.end]


def test_following_quotation_continues_the_attributed_one():
    text = '"The port is closed," the governor said. "Ships will wait offshore until Friday."'
    q = only(text)
    assert spans_text(text, q) == ['"The port is closed,"', '"Ships will wait offshore until Friday."']


def test_guillemets_and_single_curly_quotes_are_quotation_marks():
    text = "«We will not retreat», the minister said. ‘We will rebuild the bridge,’ the mayor said."
    quotes = find_quotes(text)
    assert [spans_text(text, q)[0] for q in quotes] == ["«We will not retreat»", "‘We will rebuild the bridge,’"]
    assert quotes[1].speaker.mention.text == "the mayor"


def test_quote_over_several_paragraphs_is_one_quote():
    text = (
        'The senator said: "The bill fixes what the last one broke.\n\n'
        '"It funds the clinics for five years.\n\n'
        '"And it asks nothing of the states that they cannot give."'
    )
    q = only(text)
    assert q.kind == "direct"
    assert len(q.spans) == 3
    assert spans_text(text, q)[-1] == '"And it asks nothing of the states that they cannot give."'
    assert q.speaker.mention.text == "The senator"


def test_unclosed_quotation_is_recovered_at_the_paragraph_end():
    text = '"We have lost everything, the farmer told reporters.\n\nThe river rose overnight.'
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].start : quotes[0].end].startswith('"We have lost everything')
    assert "river" not in quotes[0].text


def test_stray_closing_mark_does_not_crash():
    text = 'The vote was close” and the count went on. "It is done," the clerk said.'
    quotes = find_quotes(text)
    assert [q.content for q in quotes] == ['"It is done,"']


def test_scare_quotes_and_titles_are_not_speech():
    text = 'The so-called "experts" met in Geneva. The film "Silent Border" opened in Nairobi on Friday.'
    assert find_quotes(text) == []


def test_quotes_inside_quotes_stay_inside_the_outer_quote():
    text = "“They called it ‘a temporary measure’ ten years ago,” the mayor said."
    q = only(text)
    assert spans_text(text, q) == ["“They called it ‘a temporary measure’ ten years ago,”"]


def test_mixed_quote_is_a_cue_followed_by_a_quoted_fragment():
    text = "The prime minister reaffirmed “Iraq’s principled stance against the aggression on Gaza.”"
    q = only(text)
    assert q.kind == "mixed"
    assert q.cue.text == "reaffirmed"
    assert q.speaker.mention.text == "The prime minister"


def test_indirect_quote_with_that():
    text = "The ministry said that the border crossing would reopen on Monday."
    q = only(text)
    assert q.kind == "indirect"
    assert q.content == "that the border crossing would reopen on Monday"
    assert q.speaker.mention.text == "The ministry"


def test_indirect_quote_before_its_attribution():
    text = "The ceasefire has largely held since Sunday, the minister said."
    q = only(text)
    assert q.kind == "indirect"
    assert q.content == "The ceasefire has largely held since Sunday"
    assert q.speaker.mention.text == "the minister"


def test_according_to():
    text = "According to local officials, at least twelve people were injured."
    q = only(text)
    assert q.cue.text == "According to"
    assert q.speaker.mention.text == "local officials"
    assert q.content == "at least twelve people were injured"


def test_stressed_the_importance_of():
    text = "The envoy stressed the importance of keeping the humanitarian corridor open."
    q = only(text)
    assert q.cue.text == "stressed"
    assert q.content == "the importance of keeping the humanitarian corridor open"


def test_called_on_takes_the_infinitive_as_content():
    text = "The council called on both sides to return to the negotiating table."
    q = only(text)
    assert q.cue.text == "called on"
    assert q.content == "to return to the negotiating table"


def test_document_as_source():
    text = "A statement from the prime minister's office confirmed that the advisers were safe."
    q = only(text)
    assert q.speaker.mention.text == "A statement from the prime minister's office"
    assert q.content == "that the advisers were safe"


def test_participle_reports_for_the_same_speaker():
    text = "The mayor said the curfew would end on Friday, adding that schools would reopen next week."
    quotes = find_quotes(text)
    assert [q.content for q in quotes] == [
        "the curfew would end on Friday",
        "that schools would reopen next week",
    ]
    assert all(q.speaker.mention.text == "The mayor" for q in quotes)


def test_inserted_attribution_splits_indirect_content():
    text = "The economy, the governor said, is stronger than a year ago."
    q = only(text)
    assert [text[s:e] for s, e in q.spans] == ["The economy", "is stronger than a year ago"]


def test_passive_is_not_an_attribution():
    text = "The refugees were told to leave the camp by noon."
    assert find_quotes(text) == []


def test_quote_without_speaker_has_no_speaker():
    text = (
        "The crowd dispersed after midnight.\n\n"
        '"Nobody here wants another night like the last one, and nobody is leaving either."'
    )
    q = only(text)
    assert q.kind == "direct"
    assert q.speaker is None
    assert q.cue is None


def test_continued_colon_cue_introduces_the_next_paragraph():
    text = 'Okafor continued:\n\n"The pipeline will be repaired before the rains, whatever it costs us."'
    q = only(text)
    assert q.cue.text == "continued"
    assert q.speaker.mention.text == "Okafor"


def test_stance_model_reads_a_preposed_cue_with_reported_content():
    from stance.pipeline import stance_text

    text = "The minister condemned the drone strike near the airport. \"We are safe,\" she said."
    reported, direct = find_quotes(text)
    assert stance_text(text, reported) == "condemned the drone strike near the airport"
    assert stance_text(text, direct) == '"We are safe,"'
