"""Hostile documents in the seeds folder: each is skipped (or read safely) with a warning that names
it, the rest is indexed, and `qabot ask` still answers. `qabot index` runs as a subprocess."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import offline_env, qabot_command
from fixtures_core import STORY, make_pdf, pdf_file

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_d538b9dfed72cb85.txt"

ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Harbour Penguins Counted</title>
<script>var leak = "SCRIPTMARKER_HEAD"; document.write("SCRIPTMARKER_WRITE");</script>
<style>body::after { content: "STYLEMARKER"; }</style></head>
<body><nav>Home | News</nav><article><h1>Harbour Penguins Counted</h1>
<p>Zoologists in Fooberg counted seventeen penguins at the harbour on Sunday, the city said in a
statement released on Monday morning after a long night of counting.</p>
<script type="text/javascript">window.SCRIPTMARKER_BODY = "<p>SCRIPTMARKER_INNER</p>";</script>
<p>The count was the highest since records began in 1950, officials added, crediting a ban on fishing
nets near the breakwater that took effect two years ago and was extended this spring.</p>
<noscript><p>NOSCRIPTMARKER enable javascript</p></noscript>
<p onclick="alert('ONCLICKMARKER')">Volunteers will repeat the count in September, when the colony
usually grows as young birds return from the open sea, the chief zoologist Maria Keller said.</p>
</article><script src="x.js">SCRIPTMARKER_SRC</script></body></html>
"""

# each must be named by a warning; every log line naming one must be a warning
BAD = ["bomb.txt", "bomb_zip.md", "huge.txt", "recursive.pdf", "random.pdf",
       "truncated.pdf", "bad_encoding.txt", "utf16.txt", "leak.txt", "dangling.txt",
       "pipe.txt", "empty.txt", "evil<b>name&amp;.txt"]
READ_WITH_WARNING = ["cp1252.txt", "bad_xref.pdf"]  # read (pypdf repairs the xref), warned about
GOOD = ["000_d538b9dfed72cb85.txt", "penguins.html", "cp1252.txt"]


def recursive_pdf() -> bytes:
    """A page tree whose Kids contain itself, and two objects referring to each other."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources 5 0 R >>",
            b"5 0 R",
            b"4 0 R"]
    return pdf_file(objs, " /Info 1 0 R /Prev {xref}", header=b"%PDF-1.4\n")


def build_hostile_seeds(root: Path) -> Path:
    seeds = root / "seeds"
    outside = root / "outside"
    seeds.mkdir(parents=True)
    outside.mkdir()
    shutil.copy2(SEED, seeds / SEED.name)
    (seeds / "penguins.html").write_text(ARTICLE_HTML, encoding="utf-8")
    # 50 MB of zeros, compressed, renamed
    (seeds / "bomb.txt").write_bytes(gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", bytes(50 * 1024 * 1024))
    (seeds / "bomb_zip.md").write_bytes(buf.getvalue())
    # 200 MB, sparse (no disk cost)
    with open(seeds / "huge.txt", "wb") as f:
        f.write(b"Huge Article\n\n")
        f.seek(200 * 1024 * 1024 - 1)
        f.write(b"\n")
    good_pdf = make_pdf([["Penguins in the PDF", "Some text that would be indexed."]])
    bad_xref = good_pdf.replace(b"startxref\n", b"startxref\n99999").replace(b" 00000 n ", b" 00000 q ")
    (seeds / "bad_xref.pdf").write_bytes(bad_xref)
    (seeds / "recursive.pdf").write_bytes(recursive_pdf())
    rng = random.Random(42)
    (seeds / "random.pdf").write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(64 * 1024)))
    (seeds / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    # encodings
    (seeds / "cp1252.txt").write_bytes(
        ("Caf\u00e9 Owners Protest\n\nThe owners of the caf\u00e9s on the square said on Monday that the "
         "new rules were unfair, and that they would protest in front of the town hall.\n").encode("cp1252"))
    (seeds / "bad_encoding.txt").write_bytes(b"Title\n\n" + b"\x81\x8d\x8f\x90\x9d\xff\xfe" * 200)
    (seeds / "utf16.txt").write_bytes(STORY.encode("utf-16"))
    # symlinks out of seeds/, dangling, looping
    (outside / "secret.txt").write_text("Secret Memo\n\nOUTSIDE_SECRET_MARKER the password is hunter2 and "
                                        "it must never be indexed by anything, ever.\n")
    (outside / "article.txt").write_text(STORY.replace("penguins", "OUTSIDE_DIR_MARKER penguins"))
    os.symlink(outside / "secret.txt", seeds / "leak.txt")
    os.symlink(outside, seeds / "outside_dir")
    os.symlink(root / "does-not-exist.txt", seeds / "dangling.txt")
    os.mkfifo(seeds / "pipe.txt")
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "evil<b>name&amp;.txt").write_bytes(b"\x00\x01\x02" * 100)
    return seeds


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile_docs")
    seeds = build_hostile_seeds(root)
    vectors = root / "vectors"
    proc = subprocess.run(qabot_command("index", "--seeds", str(seeds), "--vectors", str(vectors)),
                          env=offline_env(), capture_output=True, text=True, timeout=240)
    ask = None
    if proc.returncode == 0:
        ask = subprocess.run(qabot_command("ask", "How big is Armenia?", "--json", "--seeds", str(seeds),
                                           "--vectors", str(vectors)),
                             env=offline_env(), capture_output=True, text=True, timeout=120)
    return root, seeds, vectors, proc, ask


def test_index_exits_0(hostile_run):
    _, _, _, proc, _ = hostile_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", BAD + READ_WITH_WARNING + ["outside_dir"])
def test_each_bad_file_is_named_in_a_warning(hostile_run, name):
    _, _, _, proc, _ = hostile_run
    lines = [line for line in proc.stderr.splitlines() if name in line]
    assert lines, f"no warning names {name}:\n{proc.stderr[-3000:]}"
    assert all(line.startswith("WARNING") for line in lines), lines


def test_good_files_are_indexed_and_bad_ones_are_not(hostile_run):
    _, _, vectors, proc, _ = hostile_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((vectors / "manifest.json").read_text())
    paths = {d["path"] for d in manifest["documents"].values()}
    assert set(GOOD) <= paths, paths
    assert not paths & set(BAD)
    assert not any(p.startswith("outside_dir") for p in paths)


def test_script_style_and_outside_text_never_indexed(hostile_run):
    _, _, vectors, proc, _ = hostile_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((vectors / "manifest.json").read_text())
    text = (vectors / manifest["files"]["passages"]["name"]).read_text(encoding="utf-8")
    assert "seventeen penguins" in text  # the HTML article itself is there
    for marker in ("SCRIPTMARKER", "STYLEMARKER", "ONCLICKMARKER", "OUTSIDE_SECRET", "hunter2",
                   "OUTSIDE_DIR_MARKER", "document.write"):
        assert marker not in text, marker
    everything = "".join(p.read_text(errors="replace") for p in vectors.rglob("*")
                         if p.is_file() and p.suffix in (".json", ".jsonl"))
    assert "OUTSIDE_SECRET" not in everything and "SCRIPTMARKER" not in everything


def test_ask_still_answers_about_the_good_article(hostile_run):
    _, _, _, proc, ask = hostile_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert ask.returncode == 0, ask.stderr[-3000:]
    d = json.loads(ask.stdout)
    assert d["answered"] and "29,800 square kilometers" in d["hits"][0]["text"]


def test_a_second_run_is_a_quiet_no_op_that_still_names_the_bad_files(hostile_run):
    _, seeds, vectors, proc, _ = hostile_run
    assert proc.returncode == 0
    again = subprocess.run(qabot_command("index", "--seeds", str(seeds), "--vectors", str(vectors)),
                           env=offline_env(), capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 added, 0 changed, 0 removed" in again.stderr
    for name in ("bomb.txt", "recursive.pdf", "leak.txt", "huge.txt"):
        assert name in again.stderr


def test_symlink_loop_is_skipped_not_a_crash(tmp_path):
    """loop.txt -> loop.txt: Path.resolve() raises on it (OSError/RuntimeError, by Python version)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy2(SEED, seeds / SEED.name)
    os.symlink(seeds / "loop.txt", seeds / "loop.txt")
    os.symlink(seeds / "loop_b.txt", seeds / "loop_a.txt")
    os.symlink(seeds / "loop_a.txt", seeds / "loop_b.txt")
    proc = subprocess.run(qabot_command("index", "--seeds", str(seeds), "--vectors", str(tmp_path / "v")),
                          env=offline_env(), capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    for name in ("loop.txt", "loop_a.txt", "loop_b.txt"):
        assert any(name in line and line.startswith("WARNING") for line in proc.stderr.splitlines()), name
    assert "1 added" in proc.stderr
