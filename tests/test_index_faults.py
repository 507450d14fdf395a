"""A damaged index: `qabot ask` (and the bot) stop with exit code 3 and the repairing command,
never a traceback; `qabot index --rebuild` repairs. A killed build leaves the previous index
answering, and its leftovers are swept by the next build."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import TEST_TOKEN, offline_env, qabot_command
from fixtures_core import news_text

pytestmark = pytest.mark.slow

REPAIR = "qabot index --rebuild"


def qabot(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(qabot_command(*args), env=offline_env(), capture_output=True, text=True,
                          timeout=timeout)


def where(root: Path) -> list[str]:
    return ["--seeds", str(root / "seeds"), "--vectors", str(root / "vectors")]


def copy_index(root: Path, seeds_dir: Path, vectors_dir: Path) -> Path:
    shutil.copytree(seeds_dir, root / "seeds")  # copy2: mtimes kept, so the copy still matches
    shutil.copytree(vectors_dir, root / "vectors")
    return root


def manifest_of(vectors: Path) -> dict:
    return json.loads((vectors / "manifest.json").read_text())


def save_manifest(vectors: Path, m: dict) -> None:
    (vectors / "manifest.json").write_text(json.dumps(m, indent=1))


def file_of(vectors: Path, key: str) -> Path:
    return vectors / manifest_of(vectors)["files"][key]["name"]


def fix_bytes(vectors: Path, key: str) -> None:
    """Make the manifest agree with the file's new size (a damage the size check cannot see)."""
    m = manifest_of(vectors)
    m["files"][key]["bytes"] = (vectors / m["files"][key]["name"]).stat().st_size
    save_manifest(vectors, m)


# --- damages ------------------------------------------------------------------------------------


def truncated_faiss(v: Path) -> None:
    p = file_of(v, "dense")
    os.truncate(p, p.stat().st_size // 2)


def garbage_faiss_same_size(v: Path) -> None:
    p = file_of(v, "dense")
    rng = random.Random(3)
    p.write_bytes(bytes(rng.randrange(256) for _ in range(p.stat().st_size)))


def garbage_faiss_header(v: Path) -> None:
    """The FAISS header claims 2**40 vectors: loading must not try to allocate them."""
    p = file_of(v, "dense")
    data = bytearray(p.read_bytes())
    data[8:16] = (2 ** 40).to_bytes(8, "little")  # after the fourcc and d: ntotal
    p.write_bytes(bytes(data))


def other_model(v: Path) -> None:
    m = manifest_of(v)
    m["model"]["name"] = "sentence-transformers/paraphrase-MiniLM-L3-v2"
    save_manifest(v, m)


def manifest_half_written(v: Path) -> None:
    p = v / "manifest.json"
    text = p.read_text()
    p.write_text(text[: len(text) // 2])


def passage_line_deleted(v: Path) -> None:
    p = file_of(v, "passages")
    lines = p.read_text().splitlines(keepends=True)
    p.write_text("".join(lines[:-1]))


def passage_line_deleted_bytes_fixed(v: Path) -> None:
    passage_line_deleted(v)
    fix_bytes(v, "passages")


def sentence_vectors_row_deleted(v: Path) -> None:
    p = file_of(v, "sentences")
    np.save(p, np.load(p)[:-1], allow_pickle=False)
    fix_bytes(v, "sentences")


def passage_without_vector(v: Path) -> None:
    import faiss

    p = file_of(v, "dense")
    index = faiss.read_index(str(p))
    ids = faiss.vector_to_array(index.id_map)
    index.remove_ids(np.asarray(ids[-1:], dtype=np.int64))
    faiss.write_index(index, str(p))
    fix_bytes(v, "dense")


def vector_of_another_passage(v: Path) -> None:
    """Same count, but one vector's id belongs to no passage."""
    import faiss

    p = file_of(v, "dense")
    index = faiss.read_index(str(p))
    ids = faiss.vector_to_array(index.id_map)
    vec = index.reconstruct(int(ids[-1]))
    index.remove_ids(np.asarray(ids[-1:], dtype=np.int64))
    index.add_with_ids(vec[None, :], np.asarray([10_000], dtype=np.int64))
    faiss.write_index(index, str(p))
    fix_bytes(v, "dense")


def bm25_folder_missing(v: Path) -> None:
    shutil.rmtree(file_of(v, "bm25"))


def offsets_garbage(v: Path) -> None:
    p = file_of(v, "sentence_offsets")
    p.write_bytes(b"\x93NUMPY garbage" + b"\x00" * (p.stat().st_size - 14))


DAMAGES = {f.__name__: f for f in (
    truncated_faiss, garbage_faiss_same_size, garbage_faiss_header, other_model, manifest_half_written,
    passage_line_deleted, passage_line_deleted_bytes_fixed, sentence_vectors_row_deleted,
    passage_without_vector, vector_of_another_passage, bm25_folder_missing, offsets_garbage)}


@pytest.fixture(scope="module")
def damaged(tmp_path_factory, seeds_dir, vectors_dir) -> dict[str, Path]:
    out = {}
    for name, damage in DAMAGES.items():
        root = copy_index(tmp_path_factory.mktemp(name), seeds_dir, vectors_dir)
        damage(root / "vectors")
        out[name] = root
    return out


def assert_clear_error(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 3, f"exit {proc.returncode}:\n{proc.stderr[-2000:]}"
    assert REPAIR in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damaged_index_is_a_clear_error(damaged, name):
    assert_clear_error(qabot("ask", "How big is Armenia?", *where(damaged[name]), timeout=120))


REPAIRED = ("truncated_faiss", "other_model")  # each repair loads the model: two, in parallel


def test_rebuild_repairs(damaged):
    procs = {name: subprocess.Popen(qabot_command("index", "--rebuild", *where(damaged[name])),
                                    env=offline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
             for name in REPAIRED}
    failed = {}
    for name, p in procs.items():
        _, err = p.communicate(timeout=300)
        if p.returncode != 0:
            failed[name] = err[-1500:]
    assert not failed, failed
    for name in REPAIRED:
        root = damaged[name]
        ask = qabot("ask", "How big is Armenia?", "--json", *where(root), timeout=120)
        assert ask.returncode == 0, (name, ask.stderr[-1500:])
        assert json.loads(ask.stdout)["answered"], name


def test_bot_on_a_damaged_index_exits_3_with_the_repair_command(tmp_path, seeds_dir, vectors_dir):
    root = copy_index(tmp_path, seeds_dir, vectors_dir)
    truncated_faiss(root / "vectors")
    env = offline_env(TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
                      QABOT_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run(qabot_command("bot", *where(root)), env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert_clear_error(proc)
    assert TEST_TOKEN not in proc.stdout + proc.stderr


# --- a build killed half-way --------------------------------------------------------------------


def generation_files(vectors: Path) -> set[str]:
    prefixes = ("dense-", "bm25-", "bm25s-", "passages-", "sentences-", "sentence_offsets-", "quotes-")
    return {p.name for p in vectors.iterdir() if p.name.startswith(prefixes)}


def leftovers(vectors: Path) -> set[str]:
    m = manifest_of(vectors)
    live = {rec["name"] for rec in m["files"].values()}
    return generation_files(vectors) - live


def kill_mid_build(root: Path, *args: str) -> set[str]:
    """Start `qabot index ARGS`; SIGKILL it as soon as it has written part of a new generation."""
    vectors = root / "vectors"
    before = generation_files(vectors)
    proc = subprocess.Popen(qabot_command("index", *args, *where(root)), env=offline_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if any(n.startswith("dense-") for n in generation_files(vectors) - before):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL, f"the build was not caught mid-way ({proc.returncode}):\n{err}"
    return generation_files(vectors) - before


@pytest.fixture(scope="module")
def bigger(tmp_path_factory, seeds_dir, vectors_dir) -> Path:
    """The seed index, and a seeds folder that has grown by 12 articles since."""
    root = copy_index(tmp_path_factory.mktemp("killed"), seeds_dir, vectors_dir)
    for i in range(12):
        (root / "seeds" / f"extra_{i:02d}.txt").write_text(news_text(3000, seed=100 + i), encoding="utf-8")
    return root


def test_killed_rebuild_leaves_the_previous_index_answering(bigger):
    gen = manifest_of(bigger / "vectors")["generation"]
    new_files = kill_mid_build(bigger, "--rebuild")
    assert new_files, "nothing of the new generation was written before the kill"
    assert manifest_of(bigger / "vectors")["generation"] == gen
    ask = qabot("ask", "How big is Armenia?", "--json", *where(bigger), timeout=120)
    assert ask.returncode == 0, ask.stderr[-2000:]
    assert "29,800 square kilometers" in json.loads(ask.stdout)["hits"][0]["text"]
    assert leftovers(bigger / "vectors") == new_files


def test_next_build_sweeps_the_leftovers(bigger):
    assert leftovers(bigger / "vectors"), "run after the killed build"
    proc = qabot("index", *where(bigger))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "12 added" in proc.stderr
    assert leftovers(bigger / "vectors") == set()
    assert manifest_of(bigger / "vectors")["document_count"] == 13
    ask = qabot("ask", "Who said the checkpoint was illegal?", "--json", *where(bigger), timeout=120)
    assert ask.returncode == 0 and json.loads(ask.stdout)["answered"]


def test_leftovers_of_a_killed_build_are_swept_even_when_nothing_changed(bigger):
    """The corpus is indexed; a killed --rebuild leaves files; the next (no-op) build must sweep them."""
    assert not leftovers(bigger / "vectors")
    new_files = kill_mid_build(bigger, "--rebuild")
    assert new_files
    proc = qabot("index", *where(bigger))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "0 added, 0 changed, 0 removed" in proc.stderr
    assert leftovers(bigger / "vectors") == set(), "leftovers of the killed build were kept"
