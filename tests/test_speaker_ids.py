"""Speakers across documents: name variants of one person share a speaker_id; namesakes never do."""

from __future__ import annotations

import pytest

from stance.analysis.speakers import SpeakerIndex, display_name, merge_speakers


def ids(names, aliases=None):
    index = SpeakerIndex(aliases).fit(names)
    return {name: index.id_of(name) for name in names}


def test_surname_title_case_and_possessive_variants_merge_with_the_full_name():
    got = ids(["Hillary Clinton", "Clinton", "Secretary Clinton", "HILLARY CLINTON", "Clinton's", "Hillary Clinton’s",
               "Hillary Rodham Clinton"])
    assert len(set(got.values())) == 1


def test_al_prefix_hyphen_and_diacritics_variants_merge():
    got = ids(["al-Abadi", "Haider Al-Abadi", "Haider al Abadi", "AL-ABADI", "Hélène Dupont", "Helene Dupont"])
    assert got["al-Abadi"] == got["Haider Al-Abadi"] == got["Haider al Abadi"] == got["AL-ABADI"]
    assert got["Hélène Dupont"] == got["Helene Dupont"] != got["al-Abadi"]


def test_namesakes_with_different_given_names_never_merge():
    got = ids(["Hillary Clinton", "Bill Clinton", "Jeb Bush", "George W. Bush", "George H.W. Bush",
               "Donald Trump", "Donald Trump Jr.", "Ivanka Trump"])
    assert len(set(got.values())) == len(got)


def test_a_surname_that_fits_two_people_stays_on_its_own():
    got = ids(["Hillary Clinton", "Bill Clinton", "Clinton", "Secretary Clinton"])
    assert got["Clinton"] not in (got["Hillary Clinton"], got["Bill Clinton"])
    assert got["Secretary Clinton"] not in (got["Hillary Clinton"], got["Bill Clinton"], got["Clinton"])


def test_a_gendered_title_picks_the_one_person_of_that_gender():
    got = ids(["Barack Obama", "Michelle Obama", "Mrs. Obama", "Mr. Obama", "Obama"])
    assert got["Mrs. Obama"] == got["Michelle Obama"]
    assert got["Mr. Obama"] == got["Barack Obama"]
    assert got["Obama"] not in (got["Barack Obama"], got["Michelle Obama"])


def test_middle_initials_and_short_given_names():
    got = ids(["Paul D. Ryan", "Paul Ryan", "House Speaker Paul Ryan", "Mr. Ryan", "Joe Smith", "Joseph R. Smith"])
    assert got["Paul D. Ryan"] == got["Paul Ryan"] == got["House Speaker Paul Ryan"] == got["Mr. Ryan"]
    assert got["Joe Smith"] == got["Joseph R. Smith"]


def test_organisations_merge_only_with_the_same_wording():
    got = ids(["the Foreign Ministry", "Foreign Ministry", "The New York Times", "New York Times", "Times"])
    assert got["the Foreign Ministry"] == got["Foreign Ministry"]
    assert got["The New York Times"] == got["New York Times"] != got["Times"]


def test_alias_table_overrides(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("alias,canonical\nClinton,Hillary Clinton\nPOTUS,Barack Obama\n", encoding="utf-8")
    got = ids(["Hillary Clinton", "Bill Clinton", "Clinton", "POTUS", "Barack Obama"], aliases=table)
    assert got["Clinton"] == got["Hillary Clinton"] != got["Bill Clinton"]
    assert got["POTUS"] == got["Barack Obama"]


def test_alias_table_with_a_short_row_is_an_error(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("alias,canonical\nClinton\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 1 needs two columns"):
        SpeakerIndex(table)


def test_ids_do_not_depend_on_order_and_canonical_is_the_most_frequent_full_name():
    names = ["Donald Trump"] * 3 + ["Donald J. Trump", "Trump", "Mr. Trump"]
    forward, backward = merge_speakers(names), merge_speakers(list(reversed(names)))
    assert forward == backward
    assert {canonical for _, canonical in forward.values()} == {"Donald Trump"}


def test_display_name_drops_titles_possessives_and_articles():
    assert display_name("President Barack Obama's") == "Barack Obama"
    assert display_name("the Foreign Ministry") == "Foreign Ministry"
    assert display_name("House Speaker Paul Ryan") == "Paul Ryan"


def test_merging_work_is_linear_in_the_number_of_names(monkeypatch):
    """Names are compared only within their surname: the comparisons grow with the names, not their square."""
    import stance.analysis.speakers as speakers

    calls = 0
    compatible = speakers.compatible

    def counting(form, person):
        nonlocal calls
        calls += 1
        return compatible(form, person)

    monkeypatch.setattr(speakers, "compatible", counting)

    def comparisons(n):
        nonlocal calls
        calls = 0
        names = [f"Given{i} Surname{i // 4}" for i in range(n)] + [f"Surname{i}" for i in range(n // 4)]
        SpeakerIndex().fit(names)
        return calls

    small, large = comparisons(1000), comparisons(4000)
    assert large <= 4 * small  # 4x the names, 4x the comparisons (a pairwise merge would do 16x)
