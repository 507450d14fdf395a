"""The `qabot` console script, run as a subprocess with --seeds/--vectors in tmp folders.

Each command that answers loads the real model (a few seconds), so the index the first
`ask` builds is shared by the module's tests; tests that damage an index work on a copy.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from fixtures_core import SEED_ID, SEED_TITLE, copy_seeds, run_qabot, run_qabot_parallel

pytest_plugins = ["fixtures_core"]

HIT_KEYS = {"rank", "score", "passage_id", "doc_id", "title", "paragraphs", "text", "highlight", "citation"}


def dirs(root: Path) -> list[str]:
    return ["--seeds", str(root / "seeds"), "--vectors", str(root / "vectors")]


@pytest.fixture(scope="module")
def cli_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    copy_seeds(root / "seeds")
    return root


@pytest.fixture(scope="module")
def first_ask(cli_root):
    """`qabot ask --json` on a folder without an index: it builds the index, then answers."""
    assert not (cli_root / "vectors").exists()
    return run_qabot("ask", "How big is Armenia?", "--json", *dirs(cli_root))


def test_help_is_fast():
    t0 = time.perf_counter()
    proc = run_qabot("--help")
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0
    for command in ("index", "ask", "chat", "info"):
        assert command in proc.stdout
    assert elapsed < 1.0, f"qabot --help took {elapsed:.2f} s"


def test_ask_builds_a_missing_index_first(first_ask, cli_root):
    assert first_ask.returncode == 0, first_ask.stderr
    assert "no index in" in first_ask.stderr and "building it" in first_ask.stderr
    assert "index built: 1 added" in first_ask.stderr
    assert (cli_root / "vectors" / "manifest.json").is_file()


def test_ask_json_shape(first_ask):
    assert first_ask.returncode == 0, first_ask.stderr
    d = json.loads(first_ask.stdout)
    assert {"question", "answered", "hits"} <= set(d)
    assert d["question"] == "How big is Armenia?" and d["answered"] is True
    assert 1 <= len(d["hits"]) <= 3
    for i, h in enumerate(d["hits"], 1):
        assert HIT_KEYS <= set(h)
        assert h["rank"] == i
        assert h["doc_id"] == SEED_ID and h["title"] == SEED_TITLE
        assert h["citation"].startswith(f"[{i}] {SEED_TITLE}")
        assert h["highlight"] in h["text"]
    assert "29,800 square kilometers" in d["hits"][0]["highlight"]


STDIN_QUESTIONS = ["How big is Armenia?", "How do I bake sourdough bread?", "Who is Ani Badalyan?"]


@pytest.fixture(scope="module")
def stdin_runs(first_ask, cli_root) -> dict:
    """`qabot ask -` and `qabot chat` with questions on stdin, run side by side."""
    assert first_ask.returncode == 0, first_ask.stderr
    ask, chat = run_qabot_parallel(
        (["ask", "-", "--json", "--k", "2", *dirs(cli_root)], "\n".join(STDIN_QUESTIONS) + "\n"),
        (["chat", *dirs(cli_root)], "How big is Armenia?\n\nHow do I bake sourdough bread?\n"),
    )
    return {"ask": ask, "chat": chat}


def test_ask_questions_from_stdin(stdin_runs):
    questions = STDIN_QUESTIONS
    proc = stdin_runs["ask"]
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == questions
    assert [a["answered"] for a in answers] == [True, False, True]
    assert all(len(a["hits"]) <= 2 for a in answers)
    assert any("Ani Badalyan" in h["text"] for h in answers[2]["hits"])


def test_chat_reads_piped_questions_until_eof(stdin_runs):
    proc = stdin_runs["chat"]
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "> How big is Armenia?" in out and "> How do I bake sourdough bread?" in out
    assert "»" in out and "29,800 square kilometers" in out
    assert "Sources:" in out and "para" in out
    assert "do not seem to answer" in out
    assert out.index("29,800") < out.index("> How do I bake")  # answers in question order


def test_info(first_ask, cli_root):
    proc = run_qabot("info", *dirs(cli_root))
    assert proc.returncode == 0, proc.stderr
    assert "documents: 1" in proc.stdout
    assert "passages:" in proc.stdout and SEED_TITLE in proc.stdout
    proc = run_qabot("info", "--json", *dirs(cli_root))
    info = json.loads(proc.stdout)
    assert info["document_count"] == 1 and info["passage_count"] > 1
    assert info["model"]["name"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert [d["doc_id"] for d in info["documents"]] == [SEED_ID]


def test_index_on_an_up_to_date_index_does_nothing(first_ask, cli_root):
    """The index `ask` built is current: `qabot index` (twice) embeds nothing and loads no model."""
    assert first_ask.returncode == 0
    manifest = (cli_root / "vectors" / "manifest.json").read_text(encoding="utf-8")
    for _ in range(2):
        t0 = time.perf_counter()
        proc = run_qabot("index", *dirs(cli_root))
        assert proc.returncode == 0, proc.stderr
        assert "0 added, 0 changed, 0 removed, 1 unchanged, 0 skipped; embedded 0 passages" in proc.stderr
        assert "loading model" not in proc.stderr
        assert time.perf_counter() - t0 < 5.0
    assert (cli_root / "vectors" / "manifest.json").read_text(encoding="utf-8") == manifest


@pytest.fixture
def damaged(first_ask, cli_root, tmp_path) -> Path:
    """A copy of the module's index with its FAISS file cut short."""
    assert first_ask.returncode == 0
    shutil.copytree(cli_root / "seeds", tmp_path / "seeds")
    shutil.copytree(cli_root / "vectors", tmp_path / "vectors")
    manifest = json.loads((tmp_path / "vectors" / "manifest.json").read_text(encoding="utf-8"))
    faiss_file = tmp_path / "vectors" / manifest["files"]["dense"]["name"]
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    return tmp_path


@pytest.mark.parametrize("args", [["ask", "How big is Armenia?"], ["ask", "How big is Armenia?", "--json"],
                                  ["info"], ["chat"]])
def test_damaged_index_exits_3_with_the_repair_command(damaged, args):
    proc = run_qabot(*args, *dirs(damaged), stdin="How big is Armenia?\n")
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "qabot index --rebuild" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["ask"],
    ["ask", "How big is Armenia?", "--k", "0"],
    ["ask", "How big is Armenia?", "--k", "many"],
    ["index", "--no-such-flag"],
])
def test_bad_usage_exits_2(args, tmp_path):
    proc = run_qabot(*args, *(dirs(tmp_path) if args else []))
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()
    assert not (tmp_path / "vectors").exists()  # nothing was built on the way to the error


def test_missing_seeds_folder_exits_2(tmp_path):
    proc = run_qabot("index", "--seeds", str(tmp_path / "nope"), "--vectors", str(tmp_path / "vectors"))
    assert proc.returncode == 2
    assert "nope" in proc.stderr and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
