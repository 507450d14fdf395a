"""Step 4, the index: manifest, files, save/load round trip, incremental updates, damage, atomicity.

Real model, real FAISS, real bm25s. The session's seed index is only read; every test that
changes an index works on a private copy (`core_fresh_index`) or builds its own in tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import types
from pathlib import Path

import faiss
import numpy as np
import pytest
from fixtures_core import (
    MODEL_NAME,
    SEED,
    SEED_ID,
    SEED_NAME,
    STORY,
    STORY_CHANGED,
    copy_seeds,
    make_pdf,
    wait_for_new_generation,
)

import retrieval.index as index_mod
from retrieval.documents import load_document
from retrieval.embeddings import Encoder
from retrieval.index import (
    PASSAGE_SETTINGS,
    IndexDamaged,
    IndexMismatch,
    IndexMissing,
    load_index,
    read_manifest,
    update_index,
)
from retrieval.passages import make_passages
from retrieval.pieces import PIECE_DIMS, unit_rows
from retrieval.search import Searcher
from retrieval.sparse import SparseIndex

pytest_plugins = ["fixtures_core"]

HINT = "qabot index --rebuild"
ALWAYS_THERE = {"manifest.json", ".index.lock", "quotes.jsonl"}


def manifest_of(vectors: Path) -> dict:
    return json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))


def referenced(vectors: Path) -> set[str]:
    """Every file and folder the manifest names, the ONNX query encoder's folder included."""
    manifest = manifest_of(vectors)
    names = {rec["name"] for rec in manifest["files"].values()}
    if manifest.get("query_encoder"):
        names.add(manifest["query_encoder"]["dir"])
    return names


def assert_no_leftovers(vectors: Path) -> None:
    assert {p.name for p in vectors.iterdir()} == referenced(vectors) | ALWAYS_THERE


def texts_of(data) -> str:
    return "\n".join(p.text for p in data.passages)


def answer(vectors: Path, encoder, question: str):
    return Searcher(load_index(vectors, model_name=encoder.name), encoder).search(question, 3)


# --- the built index: manifest and files --------------------------------------------------------


def test_manifest(core_seed_index, core_encoder):
    m = manifest_of(core_seed_index.vectors)
    assert m["format"] == 1
    assert m["model"] == {"name": MODEL_NAME, "dim": 384, "max_tokens": 254}
    assert m["metric"] == "inner_product"
    n = core_seed_index.n
    expected = make_passages(load_document(SEED, SEED_NAME), core_encoder.count_tokens,
                             max_tokens=core_encoder.max_tokens, min_tokens=PASSAGE_SETTINGS["min_tokens"])
    assert m["passage_count"] == n == len(expected) > 1
    assert m["document_count"] == 1
    assert m["next_id"] == n
    doc = m["documents"][SEED_ID]
    assert doc["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert doc["path"] == SEED_NAME
    assert doc["passages"] == n and doc["paragraph_count"] == 21
    assert doc["title"] == "Azerbaijan Rejects Russian Calls to Reopen Lachin Corridor"
    assert {"python", "numpy", "faiss-cpu", "bm25s", "sentence-transformers", "torch"} <= set(m["versions"])
    assert m["versions"]["faiss-cpu"] == faiss.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m["built_at"])
    assert m["skipped"] == {}
    assert {"dense", "bm25", "bm25_sentences", "passages", "sentences", "sentence_offsets"} <= set(m["files"])
    for rec in m["files"].values():
        path = core_seed_index.vectors / rec["name"]
        assert path.exists(), path
        if "bytes" in rec:
            assert path.stat().st_size == rec["bytes"]


def test_report_of_the_first_build(core_seed_index):
    r = core_seed_index.report
    assert r.added == [SEED_ID] and r.changed == [] and r.removed == [] and r.skipped == []
    assert r.embedded_passages == core_seed_index.n and r.rebuilt
    assert "1 added" in r.summary() and f"embedded {core_seed_index.n} passages" in r.summary()


def test_every_file_is_json_numpy_or_faiss(core_seed_index):
    """No pickle anywhere: each file opens with a loader that cannot run code."""
    vectors = core_seed_index.vectors
    assert_no_leftovers(vectors)
    seen = 0
    for path in sorted(vectors.rglob("*")):
        if path.is_dir():
            continue
        seen += 1
        raw = path.read_bytes()
        assert not raw.startswith(b"\x80"), f"{path} looks like a pickle"
        if path.name == ".index.lock":
            continue
        if path.suffix == ".json":
            json.loads(raw)
        elif path.suffix == ".jsonl":
            rows = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
            assert rows
        elif path.suffix == ".npy":
            arr = np.load(path, allow_pickle=False)
            assert arr.dtype != object
        elif path.suffix == ".faiss":
            assert faiss.read_index(str(path)).ntotal == core_seed_index.n
        elif path.suffix == ".onnx":  # the query encoder: a protobuf graph, no code
            import onnx

            assert onnx.load(str(path)).graph.node
        else:
            pytest.fail(f"unexpected file in the index: {path}")
    assert seen >= 14


def test_save_load_round_trip(core_seed_index, core_encoder):
    vectors = core_seed_index.vectors
    data = load_index(vectors, model_name=MODEL_NAME)
    m = data.manifest
    n = core_seed_index.n
    expected = make_passages(load_document(SEED, SEED_NAME), core_encoder.count_tokens,
                             max_tokens=core_encoder.max_tokens, min_tokens=PASSAGE_SETTINGS["min_tokens"])
    assert data.passages == expected
    # the passages file, read by hand, holds the same rows with their int ids
    rows = [json.loads(line) for line in (vectors / m["files"]["passages"]["name"]).open(encoding="utf-8")]
    assert [r.pop("id") for r in rows] == data.ids.tolist() == list(range(n))
    assert rows == [p.to_json() for p in data.passages]
    # FAISS holds exactly those ids, unit vectors that are the passages' embeddings
    assert data.dense.size == data.dense.index.ntotal == n
    assert sorted(data.dense.all_ids().tolist()) == data.ids.tolist()
    stored = data.dense.vectors(data.ids)
    assert np.allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-5)
    fresh = core_encoder.encode([p.text for p in data.passages])
    assert np.min(np.sum(stored * fresh, axis=1)) > 0.999
    # sentences: one vector per sentence, grouped by passage
    n_sent = sum(len(p.sentences) for p in data.passages)
    per_passage = [0] + [len(p.sentences) for p in data.passages]
    assert data.sentence_offsets.tolist() == np.cumsum(per_passage).tolist()
    assert data.sentence_vectors.shape == (n_sent, 384) == (m["sentence_count"], 384)
    assert np.allclose(np.linalg.norm(data.sentence_vectors, axis=1), 1.0, atol=1e-5)
    # BM25: one row per passage and per sentence, and it scores the words it was given
    assert data.sparse.size == n and data.sentence_sparse.size == n_sent
    scores = data.sparse.scores("square kilometers")
    assert int(np.argmax(scores)) == next(i for i, p in enumerate(data.passages) if "29,800" in p.text)
    assert data.documents == m["documents"]


def test_load_with_mmap(core_seed_index):
    data = load_index(core_seed_index.vectors, mmap=True)
    assert len(data.passages) == data.dense.size == core_seed_index.n


# --- incremental updates -----------------------------------------------------------------------


def test_unchanged_corpus_is_a_fast_no_op_without_the_model(core_fresh_index):
    before = manifest_of(core_fresh_index.vectors)
    encoder = Encoder()  # a new one: its model must never load
    t0 = time.perf_counter()
    report = update_index(core_fresh_index.seeds, core_fresh_index.vectors, encoder=encoder)
    assert time.perf_counter() - t0 < 2.0
    assert "model" not in encoder.__dict__
    assert report.embedded_passages == 0 and not report.touched and not report.rebuilt
    assert report.unchanged == 1 and report.passages == core_fresh_index.n
    after = manifest_of(core_fresh_index.vectors)
    assert after["generation"] == before["generation"]


def test_touched_but_unchanged_file_is_not_re_embedded(core_fresh_index):
    seed = core_fresh_index.seeds / SEED_NAME
    seed.write_bytes(seed.read_bytes())  # new mtime, same content
    encoder = Encoder()
    report = update_index(core_fresh_index.seeds, core_fresh_index.vectors, encoder=encoder)
    assert report.embedded_passages == 0 and not report.touched
    assert "model" not in encoder.__dict__
    # the new mtime is recorded, so the next scan need not hash the file again
    assert manifest_of(core_fresh_index.vectors)["documents"][SEED_ID]["mtime_ns"] == seed.stat().st_mtime_ns


def test_add_a_document_embeds_only_its_passages(core_fresh_index, core_encoder):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    old = load_index(vectors)
    old_vecs = old.dense.vectors(old.ids)
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    report = update_index(seeds, vectors, encoder=core_encoder)
    new = load_index(vectors)
    story = [p for p in new.passages if p.doc_id == "story"]
    assert report.added == ["story"] and report.changed == [] and report.removed == []
    assert report.embedded_passages == len(story) > 0
    n = core_fresh_index.n
    assert len(new.passages) == new.dense.size == n + len(story) == report.passages
    # the seed's passages kept their ids and their vectors
    assert new.ids[:n].tolist() == old.ids.tolist()
    assert np.array_equal(new.dense.vectors(old.ids), old_vecs)
    assert new.passages[:n] == old.passages
    assert new.documents["story"]["title"] == "Harbour Penguins Counted"
    assert new.manifest["document_count"] == 2
    hit = answer(vectors, core_encoder, "How many penguins did the zoologists count in Fooberg?").hits[0]
    assert hit.doc_id == "story" and "seventeen penguins" in hit.text
    assert_no_leftovers(vectors)


def test_change_a_document_replaces_its_passages(core_fresh_index, core_encoder):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    first = load_index(vectors)
    old_story_ids = {int(i) for i, p in zip(first.ids, first.passages) if p.doc_id == "story"}
    (seeds / "story.txt").write_text(STORY_CHANGED, encoding="utf-8")
    report = update_index(seeds, vectors, encoder=core_encoder)
    data = load_index(vectors)
    story = [p for p in data.passages if p.doc_id == "story"]
    assert report.changed == ["story"] and report.added == [] and report.unchanged == 1
    assert report.embedded_passages == len(story)
    assert "seventeen penguins" not in texts_of(data)
    assert "cancelled on Sunday because a storm flooded" in texts_of(data)
    ids = set(data.dense.all_ids().tolist())
    assert not ids & old_story_ids  # the old vectors are gone from FAISS
    assert ids == set(data.ids.tolist()) and data.dense.size == len(data.passages)
    assert data.sparse.scores("seventeen").max() == 0
    assert data.documents["story"]["sha256"] == hashlib.sha256(STORY_CHANGED.encode()).hexdigest()
    assert_no_leftovers(vectors)


def test_delete_a_document_removes_it_everywhere(core_fresh_index, core_encoder):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    assert answer(vectors, core_encoder, "penguins zoologists Fooberg").hits[0].doc_id == "story"
    (seeds / "story.txt").unlink()
    report = update_index(seeds, vectors, encoder=core_encoder)
    data = load_index(vectors)
    assert report.removed == ["story"] and report.embedded_passages == 0
    assert report.passages == core_fresh_index.n
    assert all(p.doc_id == SEED_ID for p in data.passages)
    assert data.dense.size == data.dense.index.ntotal == core_fresh_index.n
    assert set(data.dense.all_ids().tolist()) == set(data.ids.tolist())
    assert "story" not in data.documents and data.manifest["document_count"] == 1
    for word in ("penguins", "Fooberg", "zoologists"):
        assert data.sparse.scores(word).max() == 0
        assert data.sentence_sparse.scores(word).max() == 0
    ans = answer(vectors, core_encoder, "penguins zoologists Fooberg")
    assert all(h.doc_id != "story" for h in ans.hits + ans.abstained_hits)
    assert_no_leftovers(vectors)


def test_delete_every_document(core_fresh_index, core_encoder):
    (core_fresh_index.seeds / SEED_NAME).unlink()
    report = update_index(core_fresh_index.seeds, core_fresh_index.vectors, encoder=core_encoder)
    assert report.removed == [SEED_ID] and report.passages == 0
    data = load_index(core_fresh_index.vectors)
    assert data.passages == [] and data.dense.size == 0 and data.documents == {}
    ans = Searcher(data, core_encoder).search("How big is Armenia?")
    assert not ans.answered and ans.hits == []


def test_bad_file_is_remembered_then_picked_up_when_fixed(core_fresh_index, core_encoder, caplog):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    (seeds / "report.pdf").write_bytes(b"%PDF-1.4\nnot a pdf\n")
    with caplog.at_level(logging.WARNING):
        first = update_index(seeds, vectors, encoder=core_encoder)
    assert first.skipped == ["report.pdf"] and first.embedded_passages == 0
    assert any("report.pdf" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    m = manifest_of(vectors)
    assert m["skipped"]["report"]["path"] == "report.pdf" and "PDF" in m["skipped"]["report"]["reason"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        second = update_index(seeds, vectors, encoder=core_encoder)
    assert second.skipped == ["report.pdf"] and not second.touched
    assert any("report.pdf" in r.getMessage() and "unchanged" in r.getMessage() for r in caplog.records)
    assert manifest_of(vectors)["generation"] == m["generation"]
    (seeds / "report.pdf").write_bytes(make_pdf([["The harbour master said seventeen penguins were counted",
                                                  "on Sunday, the highest number since 1950."]],
                                                title="Harbour Report"))
    third = update_index(seeds, vectors, encoder=core_encoder)
    assert third.added == ["report"] and third.embedded_passages >= 1 and third.skipped == []
    assert manifest_of(vectors)["skipped"] == {}
    assert "report" in load_index(vectors).documents


def test_changed_file_that_becomes_unreadable_loses_its_passages(core_fresh_index, core_encoder):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    (seeds / "story.txt").write_bytes(b"\x00\x01binary now" * 50)
    report = update_index(seeds, vectors, encoder=core_encoder)
    data = load_index(vectors)
    assert report.removed == ["story"] and report.skipped == ["story.txt"]
    assert "penguins" not in texts_of(data) and data.dense.size == core_fresh_index.n
    assert "story" not in data.documents and "story" in data.manifest["skipped"]


def test_rebuild_embeds_everything_again(core_fresh_index, core_encoder):
    n = core_fresh_index.n
    report = update_index(core_fresh_index.seeds, core_fresh_index.vectors, encoder=core_encoder,
                          rebuild=True)
    assert report.rebuilt and report.embedded_passages == n and report.added == [SEED_ID]
    assert len(load_index(core_fresh_index.vectors).passages) == n
    assert_no_leftovers(core_fresh_index.vectors)


def test_missing_seeds_folder(tmp_path, core_encoder):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        update_index(tmp_path / "nope", tmp_path / "vectors", encoder=core_encoder)


# --- damage and mismatch -----------------------------------------------------------------------


def test_no_index(tmp_path):
    with pytest.raises(IndexMissing, match="qabot index"):
        load_index(tmp_path)
    assert read_manifest(tmp_path) is None


def _truncate_faiss(vectors: Path) -> None:
    path = vectors / manifest_of(vectors)["files"]["dense"]["name"]
    path.write_bytes(path.read_bytes()[:1000])


def _delete_passages(vectors: Path) -> None:
    (vectors / manifest_of(vectors)["files"]["passages"]["name"]).unlink()


def _corrupt_sentences(vectors: Path) -> None:
    path = vectors / manifest_of(vectors)["files"]["sentence_offsets"]["name"]
    path.write_bytes(b"\x00" * path.stat().st_size)  # same size, not a .npy any more


@pytest.mark.parametrize("damage", [_truncate_faiss, _delete_passages, _corrupt_sentences],
                         ids=["truncated-faiss", "missing-passages", "garbled-npy"])
def test_damaged_file_is_reported(core_fresh_index, damage):
    vectors = core_fresh_index.vectors
    damage(vectors)
    with pytest.raises(IndexDamaged, match=HINT) as exc:
        load_index(vectors, model_name=MODEL_NAME)
    assert str(vectors) in str(exc.value)


def test_rebuild_repairs_a_damaged_index(core_fresh_index, core_encoder):
    vectors = core_fresh_index.vectors
    _truncate_faiss(vectors)
    report = update_index(core_fresh_index.seeds, vectors, encoder=core_encoder, rebuild=True)
    assert report.rebuilt and report.embedded_passages == core_fresh_index.n
    assert "29,800 square kilometers" in answer(vectors, core_encoder, "How big is Armenia?").hits[0].text
    assert_no_leftovers(vectors)


def test_damaged_index_is_rebuilt_by_a_plain_update(core_fresh_index, core_encoder, caplog):
    _truncate_faiss(core_fresh_index.vectors)
    core_fresh_index.seeds.joinpath("story.txt").write_text(STORY, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        report = update_index(core_fresh_index.seeds, core_fresh_index.vectors, encoder=core_encoder)
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert report.rebuilt and sorted(report.added) == [SEED_ID, "story"]
    assert len({p.doc_id for p in load_index(core_fresh_index.vectors).passages}) == 2


@pytest.mark.parametrize("text", ['{"format": 1, "model": {"na', "[1, 2, 3]", '{"format": 99}', "",
                                  "\x00\x00\x00"],
                         ids=["truncated-json", "not-an-object", "other-format", "empty", "binary"])
def test_corrupt_manifest(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(IndexDamaged, match=HINT):
        load_index(tmp_path, model_name=MODEL_NAME)


def test_corrupt_manifest_is_rebuilt_by_a_plain_update(core_fresh_index, core_encoder):
    vectors = core_fresh_index.vectors
    (vectors / "manifest.json").write_text('{"format": 1, "model": {"na', encoding="utf-8")
    report = update_index(core_fresh_index.seeds, vectors, encoder=core_encoder)
    assert report.rebuilt and len(load_index(vectors, model_name=MODEL_NAME).passages) == core_fresh_index.n
    assert_no_leftovers(vectors)


def test_manifest_missing_keys_is_damage_not_a_crash(core_fresh_index):
    """BUG: a manifest that parses but lacks "model" (or "files", "passage_count") raises a bare
    KeyError from load_index instead of IndexDamaged, so `qabot ask` dies with a traceback."""
    vectors = core_fresh_index.vectors
    m = manifest_of(vectors)
    for key in ("model", "files", "passage_count"):
        broken = {k: v for k, v in m.items() if k != key}
        (vectors / "manifest.json").write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(IndexDamaged, match=HINT):
            load_index(vectors, model_name=MODEL_NAME)


def test_model_mismatch(core_seed_index):
    with pytest.raises(IndexMismatch, match=HINT) as exc:
        load_index(core_seed_index.vectors, model_name="other")
    assert MODEL_NAME in str(exc.value) and "'other'" in str(exc.value)


# --- atomic writes and the lock ----------------------------------------------------------------


class SimulatedCrash(RuntimeError):
    pass


def _crash_in_sparse_save(monkeypatch):
    def boom(self, path):
        raise SimulatedCrash("power cut while writing bm25")

    monkeypatch.setattr(SparseIndex, "save", boom)


def _crash_in_manifest_write(monkeypatch):
    real = index_mod.atomic_write_text

    def boom(path, text):
        if path.name == "manifest.json":
            raise SimulatedCrash("power cut before the manifest rename")
        real(path, text)

    monkeypatch.setattr(index_mod, "atomic_write_text", boom)


@pytest.mark.parametrize("crash", [_crash_in_sparse_save, _crash_in_manifest_write],
                         ids=["during-data-files", "before-manifest"])
def test_interrupted_build_leaves_the_previous_index_usable(core_fresh_index, core_encoder, monkeypatch,
                                                            crash):
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    before = manifest_of(vectors)
    wait_for_new_generation(vectors)  # the same-second case is test_crash_in_the_same_second_...
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    crash(monkeypatch)
    with pytest.raises(SimulatedCrash):
        update_index(seeds, vectors, encoder=core_encoder)
    monkeypatch.undo()
    assert manifest_of(vectors) == before
    leftovers = {p.name for p in vectors.iterdir()} - referenced(vectors) - ALWAYS_THERE
    assert leftovers, "the crashed build should have left files behind"
    data = load_index(vectors, model_name=MODEL_NAME)
    assert len(data.passages) == core_fresh_index.n and "penguins" not in texts_of(data)
    assert "29,800 square kilometers" in answer(vectors, core_encoder, "How big is Armenia?").hits[0].text
    # the next build succeeds, adds the story and sweeps the crashed generation
    report = update_index(seeds, vectors, encoder=core_encoder)
    assert report.added == ["story"]
    assert_no_leftovers(vectors)
    top = answer(vectors, core_encoder, "How many penguins were counted in Fooberg?").hits[0]
    assert top.doc_id == "story"


def test_crash_in_the_same_second_as_the_last_build(tmp_path, core_encoder, monkeypatch):
    """BUG: generation names are `<UTC second>-<pid>`. A second build by the same process within
    the same second reuses the live generation's file names and overwrites them in place; if it
    then fails, the old manifest points at the new files (here: FAISS ids that passages-*.jsonl
    does not know, so every search raises KeyError; or a size mismatch, so IndexDamaged)."""
    frozen = types.SimpleNamespace(
        perf_counter=time.perf_counter, gmtime=time.gmtime,
        strftime=lambda fmt, t=None: "20260101T000000" if fmt == "%Y%m%dT%H%M%S" else time.strftime(fmt, t))
    monkeypatch.setattr(index_mod, "time", frozen)  # two builds within one second, deterministically
    seeds, vectors = copy_seeds(tmp_path / "seeds"), tmp_path / "vectors"
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder, extract_quotes=False)
    (seeds / "story.txt").write_text(STORY_CHANGED, encoding="utf-8")
    _crash_in_sparse_save(monkeypatch)
    with pytest.raises(SimulatedCrash):
        update_index(seeds, vectors, encoder=core_encoder, extract_quotes=False)
    monkeypatch.undo()
    data = load_index(vectors, model_name=MODEL_NAME)
    assert set(data.dense.all_ids().tolist()) == set(data.ids.tolist())
    assert Searcher(data, core_encoder).search("How big is Armenia?").answered


def test_concurrent_updates_are_serialised(tmp_path, core_encoder):
    seeds, vectors = copy_seeds(tmp_path / "seeds"), tmp_path / "vectors"
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    reports, errors = [], []

    def run():
        try:
            reports.append(update_index(seeds, vectors, encoder=core_encoder))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(reports) == 2
    assert sorted(r.embedded_passages for r in reports)[0] == 0  # the second found nothing to do
    assert sum(r.embedded_passages for r in reports) == reports[0].passages == reports[1].passages
    data = load_index(vectors, model_name=MODEL_NAME)
    assert len(data.documents) == 2 and data.dense.size == len(data.passages)
    assert_no_leftovers(vectors)


# --- known bugs in incremental updates ---------------------------------------------------------


def test_sidecar_change_is_picked_up(core_fresh_index, core_encoder):
    """BUG: only the document file is hashed, so editing NAME.meta.json (a corrected title or
    date) never reaches the index until `--rebuild`."""
    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    (seeds / "story.txt.meta.json").write_text(json.dumps({"title": "Penguin Census Sets Record"}),
                                               encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    assert load_index(vectors).documents["story"]["title"] == "Penguin Census Sets Record"


def test_same_name_with_two_suffixes_are_two_documents(tmp_path, core_encoder):
    """BUG: doc ids drop the suffix, so story.md and story.txt share the id "story" and `_scan`
    keeps only the last one: one article silently disappears from the index (no warning)."""
    seeds, vectors = copy_seeds(tmp_path / "seeds"), tmp_path / "vectors"
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    (seeds / "story.md").write_text("---\ntitle: Library Opens\n---\n\nThe new library of Exampleville "
                                    "opened on Tuesday with forty thousand books and a map room.\n",
                                    encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder, extract_quotes=False)
    text = texts_of(load_index(vectors))
    assert "seventeen penguins" in text
    assert "forty thousand books" in text


# --- quotes: a second commit after the search index -------------------------------------------


def test_quotes_come_in_a_second_commit_that_a_later_run_finishes(core_fresh_index, core_encoder,
                                                                  monkeypatch):
    """The new passages are searchable before quote extraction; a build stopped while
    extracting leaves the document pending, and the next run (with nothing else to do) finishes it."""
    import retrieval.quotes as quotes_mod

    seeds, vectors = core_fresh_index.seeds, core_fresh_index.vectors
    seed_quotes = manifest_of(vectors)["quote_count"]
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    real = quotes_mod.extract_many

    def stopped(docs, workers=None):
        if docs:
            raise SimulatedCrash("killed while extracting quotes")
        return real(docs, workers)

    monkeypatch.setattr(quotes_mod, "extract_many", stopped)
    with pytest.raises(SimulatedCrash):
        update_index(seeds, vectors, encoder=core_encoder)
    monkeypatch.undo()
    manifest = manifest_of(vectors)
    assert manifest["quotes_pending"] == ["story"] and manifest["quote_count"] == seed_quotes
    top = answer(vectors, core_encoder, "How many penguins were counted in Fooberg?").hits[0]
    assert top.doc_id == "story"  # searchable already
    from retrieval.config import Settings
    from retrieval.engine import Engine

    assert Engine(Settings(seeds=seeds, vectors=vectors)).info()["quotes_pending"] == ["story"]
    report = update_index(seeds, vectors, encoder=core_encoder)
    assert not report.touched and report.quotes_seconds > 0
    manifest = manifest_of(vectors)
    assert manifest["quotes_pending"] == []
    lines = (vectors / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    stored = [json.loads(line) for line in lines]
    story = {(q["speaker"], q["quote"]) for q in stored if q["doc_id"] == "story"}
    assert ("Maria Keller", "We are delighted by the numbers") in story
    assert len(stored) == manifest["quote_count"] > seed_quotes
    assert_no_leftovers(vectors)


def test_quotes_in_worker_processes_equal_quotes_in_process():
    """Large batches are extracted in spawned worker processes; the result is the same, in order."""
    from retrieval.quotes import extract_many

    folder = Path(__file__).parent / "data" / "articles"
    docs = [load_document(p, p.name) for p in sorted(folder.glob("*.txt"))] + [load_document(SEED, SEED_NAME)]
    one = extract_many(docs, workers=1)
    two = extract_many(docs, workers=2)
    assert len(one) > 40 and [q.to_json() for q in two] == [q.to_json() for q in one]


def test_the_build_encodes_on_every_core_although_faiss_asked_for_one(core_encoder, monkeypatch):
    """FAISS's one-thread setting (for single questions) is shared with torch through OpenMP;
    before this was handled, every build after `import retrieval.dense` embedded on one core."""
    import os

    import faiss
    import torch

    import retrieval.dense  # noqa: F401 - sets OpenMP to one thread

    monkeypatch.delenv("QABOT_ENCODE_THREADS", raising=False)
    assert faiss.omp_get_max_threads() == 1
    seen = []
    real = core_encoder.model.encode

    def spy(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(core_encoder.model, "encode", spy)
    core_encoder.encode_passages(["One sentence. And two."], [[(0, 13), (14, 22)]])
    core_encoder.encode(["a question"])
    assert seen == [os.cpu_count()] * 2
    assert faiss.omp_get_max_threads() == 1  # questions still search on one thread


def test_passages_embedded_in_chunks_match_one_batch(core_encoder):
    """encode_passages pools each chunk before the next (bounded memory) with the same vectors."""
    texts = [STORY, "Armenia covers 29,800 square kilometers. It said so.", "One. Two. Three."] * 3
    spans = [[(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", t)] for t in texts]
    whole_p, whole_s = core_encoder.encode_passages(texts, spans)
    small = Encoder(batch_size=2)
    small.chunk_size = 2
    part_p, part_s = small.encode_passages(texts, spans)
    assert np.abs(whole_p - part_p).max() < 1e-5
    assert all(np.abs(a - b).max() < 1e-5 for a, b in zip(whole_s, part_s, strict=True))


def test_word_pieces_are_stored_for_every_sentence(core_seed_index, core_encoder):
    data = load_index(core_seed_index.vectors)
    sentences = [s for p in data.passages for s in p.sentences]
    assert data.piece_offsets.shape == (len(sentences) + 1,)
    assert data.pieces.dtype == np.uint16
    for i, s in enumerate(sentences):
        assert data.pieces[data.piece_offsets[i]:data.piece_offsets[i + 1]].tolist() == \
            core_encoder.piece_ids([s])[0]
    table = data.piece_table
    assert table.shape == (len(core_encoder.piece_vocab()), PIECE_DIMS) and table.dtype == np.int8
    assert np.abs(table.astype(np.int16)).max(axis=1).min() == 127  # every row uses the int8 range
    # cosines between pieces survive the 64-dimensional projection closely
    # a copy: `.numpy()` shares the model's own weights, which the rest of the session encodes with
    exact = core_encoder.model[0].auto_model.get_input_embeddings().weight.detach().float().numpy().copy()
    exact /= np.linalg.norm(exact, axis=1, keepdims=True)
    ids = np.random.default_rng(0).choice(len(table), 400, replace=False)
    reduced = unit_rows(table, ids)
    gap = np.abs(reduced @ reduced.T - exact[ids] @ exact[ids].T)
    assert gap.mean() < 0.1, gap.mean()
    vocab = core_encoder.piece_vocab()
    near = unit_rows(table, np.array([vocab[w] for w in ("president", "minister", "potato", "armenia",
                                                            "armenian")]))
    assert near[0] @ near[1] > near[0] @ near[2] + 0.1  # related words closer than unrelated ones
    assert near[3] @ near[4] > 0.5  # a country and its demonym


def test_an_index_without_word_pieces_gets_them_without_re_embedding(core_fresh_index, core_seed_index,
                                                                     core_encoder):
    """An index built before word pieces: the next `qabot index` adds them in a new generation
    and carries the vectors over; the kept passages' pieces equal a fresh tokenisation."""
    vectors, seeds = core_fresh_index.vectors, core_fresh_index.seeds
    m = manifest_of(vectors)
    for key in ("pieces", "piece_offsets", "piece_table"):
        (vectors / m["files"].pop(key)["name"]).unlink()
    (vectors / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    old = load_index(vectors)
    assert old.pieces is None and old.piece_table is None
    report = update_index(seeds, vectors, encoder=core_encoder)
    assert report.embedded_passages == 0 and not report.rebuilt
    new = load_index(vectors)
    assert np.array_equal(new.sentence_vectors, old.sentence_vectors)
    fresh = load_index(core_seed_index.vectors)
    assert new.pieces is not None and np.array_equal(new.pieces, fresh.pieces)
    # and an added document's pieces follow the kept ones
    (seeds / "story.txt").write_text(STORY, encoding="utf-8")
    update_index(seeds, vectors, encoder=core_encoder)
    grown = load_index(vectors)
    n_old = len(old.sentence_vectors)
    assert np.array_equal(grown.pieces[:int(grown.piece_offsets[n_old])], new.pieces)
    story = [s for p in grown.passages if p.doc_id == "story" for s in p.sentences]
    tail = grown.pieces[int(grown.piece_offsets[n_old]):].tolist()
    assert tail == [i for s in story for i in core_encoder.piece_ids([s])[0]]
    assert_no_leftovers(vectors)


def test_older_sentence_attributes_are_rewritten_by_the_next_run(core_fresh_index, core_encoder):
    """Attribute bits made by older rules are recomputed in a new generation, not re-embedded."""
    from retrieval.features import ATTRIBUTES_VERSION, attribute_array

    vectors, seeds = core_fresh_index.vectors, core_fresh_index.seeds
    m = manifest_of(vectors)
    m["settings"]["attributes"] = ATTRIBUTES_VERSION - 1
    (vectors / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert load_index(vectors).sentence_attrs is None  # not trusted: computed on first sight
    report = update_index(seeds, vectors, encoder=core_encoder)
    assert report.embedded_passages == 0
    data = load_index(vectors)
    assert data.manifest["settings"]["attributes"] == ATTRIBUTES_VERSION
    assert np.array_equal(data.sentence_attrs, attribute_array(s for p in data.passages for s in p.sentences))
