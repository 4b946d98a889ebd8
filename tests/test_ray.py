"""The Ray Data engine on a local Ray with 2 CPUs: the same output as the local engine.

Skipped where Ray is not installed (``pip install "ray[data]==2.60.*"``). One Ray for the module,
its files inside the test's temporary folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from stance.corpus.job import run  # noqa: E402
from stance.pipeline import Pipeline  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]  # Ray copies deprecated settings

SENTENCES = [
    '"We will rebuild the bridge before winter," the mayor said.',
    "Officials said the road would reopen on Friday.",
    "According to the ministry, the talks will resume next week.",
    "The river rose overnight.",
]


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    os.environ["RAY_AUTH_MODE"] = "disabled"
    temp = tmp_path_factory.mktemp("ray")
    ray.init(num_cpus=2, _temp_dir=str(temp), include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def corpus(path: Path, n: int = 30) -> Path:
    lines = []
    for i in range(n):
        text = " ".join(SENTENCES[(i + k) % 4] for k in range(i % 5))
        lines.append(json.dumps({"id": f"doc-{i}", "text": text}) if i != 7 else "{not json")
    lines.append(json.dumps({"text": "No id here.", "extra": 1}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ray_engine_writes_the_same_file_as_the_local_engine(local_ray, tmp_path: Path):
    source = corpus(tmp_path / "corpus.jsonl")
    local = run(source, tmp_path / "local.jsonl", Pipeline(model=None), progress=False)
    remote = run(source, tmp_path / "ray.jsonl", {"model": None}, engine="ray", workers=2, block_size=4,
                 progress=False)
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (remote.documents, remote.quotes, remote.errors) == (local.documents, local.quotes, local.errors) == (31, local.quotes, 1)

    run(source, tmp_path / "local.parquet", Pipeline(model=None), format="quotes-parquet", progress=False)
    run(source, tmp_path / "ray.parquet", {"model": None}, engine="ray", format="quotes-parquet", block_size=4,
        progress=False)
    assert pq.read_table(tmp_path / "ray.parquet").equals(pq.read_table(tmp_path / "local.parquet"))


def test_ray_analyze_adds_quotes_and_error_columns_to_a_ray_dataset(local_ray, tmp_path: Path):
    import stance.ray

    texts = [" ".join(SENTENCES[: 1 + i % 4]) for i in range(12)] + [None]
    pq.write_table(pa.table({"text": texts, "id": list(range(13)), "source": ["wire"] * 13}), tmp_path / "in.parquet")
    dataset = ray.data.read_parquet(str(tmp_path / "in.parquet"))
    results = stance.ray.analyze(dataset, model=None, concurrency=1).take_all()
    expected = [d.to_dict() for d in Pipeline(model=None).analyze_many(list(zip(range(13), texts)))]
    assert [r["id"] for r in results] == list(range(13))
    assert [r["source"] for r in results] == ["wire"] * 13
    assert [r["quotes"] for r in results[:12]] == [d["quotes"] for d in expected[:12]]
    assert results[12]["error"] == "ray dataset (id 12): no text ('text' is null)"


def test_ray_engine_keeps_fields_like_the_local_engine(local_ray, tmp_path: Path):
    source = corpus(tmp_path / "corpus.jsonl")  # the last line has "extra", the others not
    run(source, tmp_path / "local.jsonl", Pipeline(model=None), keep_fields="extra", progress=False)
    run(source, tmp_path / "ray.jsonl", {"model": None}, engine="ray", block_size=4, keep_fields="extra",
        progress=False)
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert [json.loads(line)["extra"] for line in (tmp_path / "ray.jsonl").read_text().splitlines()][-2:] == [None, 1]
