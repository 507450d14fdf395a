"""Fixtures and builders for the retrieval-core tests (documents, passages, index, search, CLI).

Loaded by the test modules with `pytest_plugins = ["fixtures_core"]`, so the session fixtures
are registered once (the real model loads once, the seed index is built once) without
touching tests/conftest.py. Every fixture name starts with `core_` to stay clear of it.

Nothing is mocked: the model is the bundled all-MiniLM-L6-v2, FAISS and bm25s are real.
(PYTEST_DONT_REWRITE: the test modules import helpers from here before pytest registers it.)
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_NAME = "000_d538b9dfed72cb85.txt"
SEED = SEEDS / SEED_NAME
SEED_ID = "000_d538b9dfed72cb85"
SEED_TITLE = "Azerbaijan Rejects Russian Calls to Reopen Lachin Corridor"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"

# A second article for incremental updates: its words ("penguins", "Fooberg") never occur in the seed.
STORY = """Harbour Penguins Counted

By Jane Doe

FOOBERG (Gazette) — Zoologists in Fooberg counted seventeen penguins at the harbour on Sunday, \
the city said in a statement released on Monday morning.

The count was the highest since records began in 1950, officials added, crediting a ban on fishing \
nets near the breakwater that took effect two years ago.

“We are delighted by the numbers,” said Maria Keller, the city’s chief zoologist, who has led the \
annual census for more than a decade. Volunteers will repeat the count in September, when the colony \
usually grows as young birds return from the open sea.
"""

STORY_CHANGED = """Harbour Penguins Counted

By Jane Doe

FOOBERG (Gazette) — The penguin census in Fooberg was cancelled on Sunday because a storm flooded \
the harbour, the city said, and the volunteers were sent home before dawn.

Organisers said the count of the colony would take place a week later, weather permitting, with \
boats from the sailing club helping to reach the outer breakwater.
"""


# --- builders ----------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]], *, title: str | None = None, author: str | None = None) -> bytes:
    """A small valid PDF: one Helvetica text stream per page, one `Tj` per line, real xref offsets."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    page_objs = [4 + 2 * i for i in range(len(pages))]
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_objs)}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"] + [f"({esc(line)}) Tj T*" for line in lines] + ["ET"]
        stream = "\n".join(ops).encode("cp1252")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R "
                    f">> >> /Contents {page_objs[i] + 1} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = ""
    if title or author:
        fields = (f"/Title ({esc(title)})" if title else "") + (f" /Author ({esc(author)})" if author else "")
        objs.append(f"<< {fields} >>".encode())
        info = f" /Info {len(objs)} 0 R"
    return pdf_file(objs, info)


def pdf_file(objs: list[bytes], trailer: str = "", header: bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """Objects 1..n serialised with a correct xref table; `trailer` is added to the trailer
    dictionary after /Size and /Root, with {xref} replaced by the xref table's offset."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    extra = trailer.replace("{xref}", str(xref))
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def blank_pdf() -> bytes:
    """A valid PDF with one empty page (what a scan without OCR looks like to a text extractor)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


_SUBJECTS = ["The council", "Officials in Yerevan", "A spokeswoman for the ministry", "Local farmers",
             "The European Union", "Residents of the village", "The prime minister", "Analysts in Baku",
             "Aid workers", "The court"]
_VERBS = ["said on Monday that", "warned that", "argued that", "told reporters that", "insisted that",
          "reported that"]
_OBJECTS = ["food supplies were running low", "the road would reopen within weeks",
            "talks would resume in Brussels", "prices for bread had doubled since March",
            "the checkpoint was illegal", "more than 120,000 people were affected",
            "the ceasefire was holding despite sporadic shelling", "no decision had been taken",
            "the bridge was closed again"]


def news_sentence(rng: random.Random) -> str:
    s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if rng.random() < 0.3:
        s += f", and {rng.choice(_SUBJECTS).lower()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if rng.random() < 0.15:
        return f"“{s[0].upper()}{s[1:]},” {rng.choice(_SUBJECTS).lower()} said."
    return s + "."


def news_text(n_bytes: int, *, seed: int = 7) -> str:
    """Realistic plain news text of about `n_bytes`: headline, byline, varied paragraphs and quotes."""
    rng = random.Random(seed)
    blocks = ["Blockade Diary: Seven Months On", "By Jane Doe and John Roe"]
    size = 0
    while size < n_bytes:
        block = " ".join(news_sentence(rng) for _ in range(rng.randint(1, 6)))
        blocks.append(block)
        size += len(block.encode()) + 2
    return "\n\n".join(blocks) + "\n"


def copy_seeds(dest: Path) -> Path:
    """A private copy of seeds/ (mtimes kept, so a copied index still matches it)."""
    shutil.copytree(SEEDS, dest, dirs_exist_ok=True)
    return dest


def wait_for_new_generation(vectors: Path) -> None:
    """Sleep until the clock second differs from the index's generation stamp (at most ~1 s).

    Generation names have one-second resolution (see test_index.py for why that matters).
    """
    import json

    gen = json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))["generation"].split("-")[0]
    while time.strftime("%Y%m%dT%H%M%S", time.gmtime()) == gen:
        time.sleep(0.05)


def qabot_exe() -> str:
    exe = Path(sys.executable).with_name("qabot")
    return str(exe if exe.exists() else REPO / ".venv" / "bin" / "qabot")


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1")
    return env


def run_qabot(*args: str, stdin: str | None = None, cwd: Path | None = None,
              timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([qabot_exe(), *args], input=stdin, capture_output=True, text=True,
                          env=cli_env(), cwd=cwd or REPO, timeout=timeout)


def run_qabot_parallel(*commands: tuple[list[str], str | None],
                       timeout: float = 240) -> list[subprocess.CompletedProcess]:
    """Several `qabot` runs at once (each loads the model; in parallel they cost one load's time)."""
    procs = [subprocess.Popen([qabot_exe(), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=cli_env(), cwd=REPO)
             for args, _ in commands]
    out = []
    for proc, (_, stdin) in zip(procs, commands):
        stdout, stderr = proc.communicate(stdin, timeout=timeout)
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


# --- session fixtures --------------------------------------------------------------------------


@dataclass
class BuiltIndex:
    seeds: Path
    vectors: Path
    report: object  # UpdateReport of the build

    @property
    def n(self) -> int:
        """Passages of the seed index (the count follows the passage settings, so it is not hard-coded)."""
        return self.report.passages


@pytest.fixture(scope="session")
def core_encoder():
    """The real model, loaded once per session."""
    from retrieval.embeddings import Encoder

    enc = Encoder()
    assert enc.dim == 384  # touches (loads) the model now, not in the middle of a timed test
    return enc


@pytest.fixture(scope="session")
def core_seed_index(tmp_path_factory, core_encoder) -> BuiltIndex:
    """The seed article indexed once per session; tests must not modify it (copy it instead)."""
    from retrieval.index import update_index

    root = tmp_path_factory.mktemp("core_seed_index")
    seeds = copy_seeds(root / "seeds")
    report = update_index(seeds, root / "vectors", encoder=core_encoder)
    return BuiltIndex(seeds, root / "vectors", report)


@pytest.fixture(scope="session")
def core_searcher(core_seed_index, core_encoder):
    from retrieval.index import load_index
    from retrieval.search import Searcher

    return Searcher(load_index(core_seed_index.vectors, model_name=core_encoder.name), core_encoder)


@pytest.fixture
def core_fresh_index(tmp_path, core_seed_index) -> BuiltIndex:
    """A private, mutable copy of the session's seed index and its seeds folder."""
    seeds = copy_seeds(tmp_path / "seeds")
    vectors = tmp_path / "vectors"
    shutil.copytree(core_seed_index.vectors, vectors)
    return BuiltIndex(seeds, vectors, core_seed_index.report)
