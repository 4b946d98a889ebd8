"""The notebooks run top to bottom."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(name: str, timeout: int) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


@pytest.mark.slow
def test_quickstart_notebook_runs_and_shows_highlighted_quotes():
    nb = run("quickstart.ipynb", timeout=300)
    html_outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {})]
    assert any("stance-q" in o["data"]["text/html"] for o in html_outputs)
    assert any("Mohammed Shia Al-Sudani" in o["data"]["text/html"] for o in html_outputs)


@pytest.mark.slow
def test_training_notebook_trains_evaluates_and_draws_the_confusion_matrix():
    nb = run("train-small-model.ipynb", timeout=600)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs)
    assert "macro-F1" in text
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)


CORPUS_SLICE = 24  # articles: the corpus notebook's run with the default model stays well under a minute on CPU


@pytest.mark.slow
def test_corpus_notebook_runs_on_a_slice_of_polnear(tmp_path, monkeypatch):
    from stance.stances.data import shared_data_dir

    polnear = shared_data_dir() / "polnear"
    if not (polnear / "train.jsonl").is_file():
        pytest.skip(f"PolNeAR is not at {polnear} (set STANCE_DATA to the folder that holds polnear/): "
                    "the corpus notebook needs it")
    monkeypatch.setenv("STANCE_NOTEBOOK_ARTICLES", str(CORPUS_SLICE))
    monkeypatch.setenv("STANCE_NOTEBOOK_RUNS", str(tmp_path))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    nb = run("corpus-analysis.ipynb", timeout=300)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs)
    assert f"{CORPUS_SLICE} documents" in text  # the run's summary line
    assert "'documents': 24" in text  # to_frame's document counts
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2  # both plots drawn
    assert (tmp_path / f"polnear-quotes-{CORPUS_SLICE}.jsonl").is_file()
    assert (tmp_path / "condemnation-heatmap.svg").is_file()
