"""The evaluator: one-to-one matching by character Jaccard, speaker mention accuracy, kinds."""

from stance.evaluate import evaluate_quotes, match

TEXT = 'The mayor said the bridge would reopen. "It is safe," the engineer said.'
assert TEXT[40:53] == '"It is safe,"' and TEXT[54:66] == "the engineer"
GOLD = [{"id": "d1", "text": TEXT, "quotes": [
    {"content": [[15, 38]], "source": [[0, 9]], "cue": [[10, 14]]},
    {"content": [[40, 53]], "source": [[54, 66]], "cue": [[67, 71]]},
]}]


def pred(quotes):
    return [{"id": "d1", "quotes": quotes}]


def quote(spans, mention=None):
    speaker = {"name": None, "mention": {"start": mention[0], "end": mention[1], "text": TEXT[mention[0]:mention[1]]}} if mention else None
    return {"spans": spans, "speaker": speaker}


def test_perfect_prediction_scores_one():
    report = evaluate_quotes(GOLD, pred([quote([[15, 38]], (0, 9)), quote([[40, 53]], (54, 66))]), by_kind=True)
    assert report["all"]["jaccard>=0.5"]["f1"] == 1.0
    assert report["all"]["speaker_mention_accuracy"] == 1.0
    assert report["direct"]["jaccard>=0.5"]["recall"] == 1.0
    assert report["indirect"]["jaccard>=0.5"]["recall"] == 1.0


def test_partial_overlap_counts_at_half_but_not_at_point_eight():
    # gold [15, 38) has 23 characters; [15, 30) covers 15 of them: Jaccard 0.65
    report = evaluate_quotes(GOLD, pred([quote([[15, 30]], (4, 9))]))
    assert report["all"]["jaccard>=0.5"]["matched"] == 1
    assert report["all"]["jaccard>=0.8"]["matched"] == 0
    assert report["all"]["speaker_mention_accuracy"] == 1.0  # "mayor" overlaps "The mayor"
    assert report["all"]["speaker_mention_exact"] == 0.0


def test_matching_is_one_to_one():
    gold = [{"spans": [(0, 10)]}]
    pred_quotes = [{"spans": [(0, 10)]}, {"spans": [(0, 9)]}]
    assert match(gold, pred_quotes, 0.5) == [(0, 0)]


def test_missing_speaker_is_wrong_when_gold_has_one():
    report = evaluate_quotes(GOLD, pred([quote([[15, 38]])]))
    assert report["all"]["speaker_mention_accuracy"] == 0.0


def test_missing_prediction_document_is_an_error():
    import pytest

    with pytest.raises(ValueError, match="no prediction"):
        evaluate_quotes(GOLD, [{"id": "other", "quotes": []}])
