"""Step 1, documents: every format becomes the same Document; bad files are skipped by name.

Fast units (no model): real trafilatura, pypdf, PyYAML on files written into tmp folders.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random

import pytest
from fixtures_core import SEED, SEED_ID, SEED_NAME, SEED_TITLE, STORY, blank_pdf, make_pdf

from retrieval.documents import (
    Document,
    SkipFile,
    list_files,
    load_corpus,
    load_document,
    split_authors,
)

pytest_plugins = ["fixtures_core"]


def assert_offsets(doc: Document) -> None:
    """Every paragraph is exactly the slice of the text its offsets name, numbered 1..n."""
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
        assert p.text == p.text.strip() and p.text
    starts = [p.start for p in doc.paragraphs]
    assert starts == sorted(starts)


def warnings_text(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


# --- the seed: plain-text news layout --------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return load_document(SEED, SEED_NAME)


def test_seed_metadata(seed_doc):
    assert seed_doc.doc_id == SEED_ID
    assert seed_doc.path == SEED_NAME
    assert seed_doc.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert seed_doc.title == SEED_TITLE
    assert seed_doc.authors == ["Heghine Buniatian", "Astghik Bedevian"]
    assert seed_doc.dateline == "YEREVAN (Azatutyun)"
    assert seed_doc.caption.startswith("A view of")
    assert "Lachin corridor" in seed_doc.caption


def test_seed_paragraphs(seed_doc):
    paras = seed_doc.paragraphs
    assert len(paras) == 21
    assert_offsets(seed_doc)
    # the dateline stays in the first paragraph: it says where the story comes from
    assert paras[0].text.startswith("YEREVAN (Azatutyun) — Azerbaijan has rejected")
    assert paras[-1].text.startswith("Pashinyan charged earlier this month")
    # furniture never becomes a paragraph
    for p in paras:
        assert "Get the Mirror" not in p.text
        assert not p.text.startswith(("A view of", "By Heghine", SEED_TITLE, "Brussels Meeting"))
    # the section heading is metadata of the paragraphs under it, and only those
    assert [p.heading for p in paras[:12]] == [""] * 12
    assert {p.heading for p in paras[12:]} == {"Brussels Meeting"}
    assert paras[12].text.startswith("Pashinyan and Azerbaijani President Ilham Aliyev met in Brussels")


def test_seed_meta_is_body_free(seed_doc):
    meta = seed_doc.meta()
    assert meta["paragraph_count"] == 21
    assert "text" not in meta and "paragraphs" not in meta
    json.dumps(meta)  # stored in the manifest as is


@pytest.mark.parametrize("names, expected", [
    ("Heghine Buniatian and Astghik Bedevian", ["Heghine Buniatian", "Astghik Bedevian"]),
    ("A. Smith, B. Jones and C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
    ("Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe", ["Jane Doe"]),
])
def test_split_authors(names, expected):
    assert split_authors(names) == expected


def test_plain_text_crlf_and_bom(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode("utf-8"))
    doc = load_document(path, "win.txt")
    assert doc.title == "Harbour Penguins Counted"
    assert doc.authors == ["Jane Doe"]
    assert doc.dateline == "FOOBERG (Gazette)"
    assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
    assert len(doc.paragraphs) == 3
    assert_offsets(doc)


# --- markdown ---------------------------------------------------------------------------------

MARKDOWN = """---
title: "Penguins: A Record Count"
authors:
  - Jane Doe
  - John Roe
date: 2023-07-18
url: https://example.org/penguins
---

# Penguins: A Record Count

Zoologists in **Fooberg** counted *seventeen* penguins at the [harbour](https://example.org/harbour) \
on Sunday, the city said in a statement.

![a penguin on a rock](penguin.jpg)

## Reaction

> “We are delighted by the numbers,” said __Maria Keller__, the city’s chief zoologist, who has led \
the census for a decade.

Volunteers will repeat the count in _September_, when the colony usually grows as young birds return.
"""


def test_markdown_front_matter_and_syntax(tmp_path):
    path = tmp_path / "penguins.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = load_document(path, "news/penguins.md")
    assert doc.doc_id == "news/penguins"
    assert doc.title == "Penguins: A Record Count"
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert doc.date == "2023-07-18"
    assert doc.url == "https://example.org/penguins"
    assert_offsets(doc)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == ("Zoologists in Fooberg counted seventeen penguins at the harbour on Sunday, "
                        "the city said in a statement.")
    assert any(t.startswith("“We are delighted by the numbers,” said Maria Keller,") for t in texts)
    assert texts[-1].endswith("in September, when the colony usually grows as young birds return.")
    for t in texts:
        for syntax in ("**", "__", "](", "![", "#", "> ", "---", "title:"):
            assert syntax not in t, (syntax, t)
    assert doc.paragraphs[-1].heading == "Reaction"


def test_markdown_bad_front_matter_is_ignored_with_warning(tmp_path, caplog):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nHeadline Here\n\n"
                    "The body of the article says something.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        doc = load_document(path, "bad.md")
    assert "bad.md" in warnings_text(caplog) and "YAML" in warnings_text(caplog)
    assert doc.title == "Headline Here"
    assert [p.text for p in doc.paragraphs] == ["The body of the article says something."]


# --- HTML -------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour Penguins Counted | Fooberg Gazette</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Fooberg Gazette">
<meta name="date" content="2023-07-18">
<script>var tracker = "SECRET_TRACKING_CODE"; window.analytics = tracker;</script>
<style>body { font-family: sans-serif; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<header><h1>Harbour Penguins Counted</h1></header>
<article>
<p>Zoologists in Fooberg counted seventeen penguins at the harbour on Sunday, the city said in a statement
released on Monday morning.</p>
<p>The count was the highest since records began in 1950, officials added, crediting a ban on fishing nets
near the breakwater that took effect two years ago.</p>
<p>“We are delighted by the numbers,” said Maria Keller, the city’s chief zoologist, who has led the annual
census for more than a decade.</p>
<p>Volunteers will repeat the count in September, when the colony usually grows as young birds return from
the open sea.</p>
</article>
<footer><p>Copyright © 2023 Fooberg Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
<script>console.log("NOISE_IN_FOOTER_SCRIPT");</script>
</body></html>
"""


def test_html_main_text_via_trafilatura(tmp_path):
    path = tmp_path / "penguins.html"
    path.write_text(HTML, encoding="utf-8")
    doc = load_document(path, "penguins.html")
    assert doc.title.startswith("Harbour Penguins Counted")
    assert doc.authors == ["Jane Doe"]
    assert doc.date == "2023-07-18"
    assert doc.source == "Fooberg Gazette"
    assert_offsets(doc)
    body = " ".join(p.text for p in doc.paragraphs)
    for kept in ("seventeen penguins", "records began in 1950", "Maria Keller", "Volunteers will repeat"):
        assert kept in body
    for noise in ("SECRET_TRACKING_CODE", "NOISE_IN_FOOTER_SCRIPT", "font-family", "Privacy policy",
                  "All rights reserved"):
        assert noise not in doc.text
    assert len(doc.paragraphs) == 4


def test_html_without_main_text_is_skipped(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
                    "</body></html>", encoding="utf-8")
    with pytest.raises(SkipFile):
        load_document(path, "empty.html")


# --- PDF --------------------------------------------------------------------------------------

PDF_PAGES = [
    ["Zoologists in Fooberg counted seventeen penguins at the harbour",
     "on Sunday, the city said in a statement released on Monday.",
     "The count was the highest since records began in 1950."],
    ["Volunteers will repeat the count in September, when the colony",
     "usually grows as young birds return from the open sea."],
]


def test_pdf_text_and_metadata(tmp_path):
    path = tmp_path / "penguins.pdf"
    path.write_bytes(make_pdf(PDF_PAGES, title="Harbour Penguins Counted", author="Jane Doe and John Roe"))
    doc = load_document(path, "penguins.pdf")
    assert doc.title == "Harbour Penguins Counted"
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert_offsets(doc)
    body = " ".join(" ".join(p.text.split()) for p in doc.paragraphs)
    # layout lines are joined back into sentences
    assert "seventeen penguins at the harbour on Sunday, the city said" in body
    assert "when the colony usually grows as young birds return" in body


def test_pdf_without_metadata_takes_its_title_from_the_file_name(tmp_path):
    path = tmp_path / "census-report.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    doc = load_document(path, "census-report.pdf")
    assert doc.title == "census-report"
    assert doc.paragraphs


def test_pdf_pages_are_not_merged_into_one_paragraph(tmp_path):
    """BUG: `_read_pdf` joins pages with a blank line, then the layout-line regex turns the second
    newline of every blank line into a space, so a whole PDF becomes a single paragraph."""
    path = tmp_path / "penguins.pdf"
    path.write_bytes(make_pdf(PDF_PAGES, title="Harbour Penguins Counted"))
    doc = load_document(path, "penguins.pdf")
    for p in doc.paragraphs:
        assert not ("records began in 1950" in p.text and "Volunteers will repeat" in p.text), \
            "text of page 1 and page 2 ended up in one paragraph"


# --- sidecar metadata -------------------------------------------------------------------------


@pytest.mark.parametrize("sidecar", ["story.txt.meta.json", "story.meta.json"])
def test_sidecar_overrides_metadata(tmp_path, sidecar):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / sidecar).write_text(json.dumps({
        "title": "Penguin Census Sets Record", "authors": ["Maria Keller"], "date": "2023-07-16",
        "url": "https://gazette.example/penguins", "source": "Fooberg Gazette",
    }), encoding="utf-8")
    assert [rel for rel, _ in list_files(tmp_path)] == ["story.txt"]  # the sidecar is not a document
    doc = load_document(tmp_path / "story.txt", "story.txt")
    assert doc.title == "Penguin Census Sets Record"
    assert doc.authors == ["Maria Keller"]
    assert (doc.date, doc.url, doc.source) == ("2023-07-16", "https://gazette.example/penguins",
                                               "Fooberg Gazette")
    # the parsed headline and byline still stay out of the body
    assert len(doc.paragraphs) == 3
    assert not any(p.text.startswith(("Harbour Penguins", "By Jane")) for p in doc.paragraphs)


def test_invalid_sidecar_is_ignored_with_warning(tmp_path, caplog):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "story.txt.meta.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        doc = load_document(tmp_path / "story.txt", "story.txt")
    assert "story.txt.meta.json" in warnings_text(caplog)
    assert doc.title == "Harbour Penguins Counted"


# --- bad files --------------------------------------------------------------------------------

GOOD_MD = "---\ntitle: Good Markdown\n---\n\nThe markdown article has one sentence of body text.\n"
# 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252, and the bytes are not UTF-8 either
UNDECODABLE = b"Caf\xe9 owners said \x81\x8d\x8f\x90\x9d prices rose.\n\nA second paragraph of text here.\n"


def _bad_files() -> dict[str, bytes | None]:
    rng = random.Random(3)
    binary = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00\x00"
    pdf = make_pdf(PDF_PAGES, title="Harbour Penguins Counted")
    return {
        "binary.txt": binary,
        "empty.txt": b"",
        "whitespace.txt": b"  \n\n\t \n   \n",
        "controls.txt": bytes(range(1, 9)) * 200,
        "blank.pdf": blank_pdf(),
        "truncated.pdf": pdf[: len(pdf) // 3],
        "garbage.pdf": b"%PDF-1.4\nthis is not really a PDF at all\n" + binary,
        "undecodable.txt": UNDECODABLE,
        "notes.docx": b"PK\x03\x04 a word file",
        "README": b"no suffix at all",
        "escape.txt": None,  # a symlink to a file outside the seeds folder
    }


def test_bad_files_are_skipped_by_name_and_good_files_load(tmp_path, caplog):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(STORY, encoding="utf-8")
    (seeds / "sub").mkdir()
    (seeds / "sub" / "good.md").write_text(GOOD_MD, encoding="utf-8")
    (seeds / "good.pdf").write_bytes(make_pdf(PDF_PAGES, title="A Good PDF"))
    outside = tmp_path / "secret.txt"
    outside.write_text(STORY, encoding="utf-8")
    bad = _bad_files()
    for name, data in bad.items():
        if data is None:
            os.symlink(outside, seeds / name)
        else:
            (seeds / name).write_bytes(data)
    with caplog.at_level(logging.WARNING):
        docs = list(load_corpus(seeds))
    assert sorted(d.path for d in docs) == ["good.pdf", "good.txt", "sub/good.md"]
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    for name in bad:
        assert any(name in m and "skipping" in m for m in warned), f"no warning names {name}: {warned}"
    assert not any(name in m for m in warned for name in ("good.txt", "good.md", "good.pdf"))
    # the symlinked file's content never made it in
    assert all(d.path != "escape.txt" for d in docs)


@pytest.mark.parametrize("name, reason", [
    ("binary.txt", "binary"),
    ("empty.txt", "empty file"),
    ("whitespace.txt", "no text"),
    ("controls.txt", "control characters"),
    ("blank.pdf", "no extractable text"),
    ("truncated.pdf", "could not be parsed"),
    ("garbage.pdf", "could not be parsed"),
    ("undecodable.txt", "not valid UTF-8 or cp1252"),
])
def test_bad_file_reason(tmp_path, name, reason):
    path = tmp_path / name
    path.write_bytes(_bad_files()[name])
    with pytest.raises(SkipFile, match=reason):
        load_document(path, name)


def test_too_large_file_is_skipped(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(STORY, encoding="utf-8")
    with pytest.raises(SkipFile, match="too large.*QABOT_MAX_FILE_MB"):
        load_document(path, "big.txt", max_bytes=100)


def test_cp1252_text_is_read_with_a_warning(tmp_path, caplog):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café Owners Protest\n\nThe café owners said prices rose by 20 percent — again.\n"
                     .encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        doc = load_document(path, "latin.txt")
    assert "latin.txt" in warnings_text(caplog) and "cp1252" in warnings_text(caplog)
    assert doc.title == "Café Owners Protest"
    assert doc.paragraphs[0].text == "The café owners said prices rose by 20 percent — again."


def test_symlink_inside_seeds_is_followed(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "archive").mkdir(parents=True)
    (seeds / "archive" / "story.txt").write_text(STORY, encoding="utf-8")
    os.symlink(seeds / "archive" / "story.txt", seeds / "latest.txt")
    assert sorted(rel for rel, _ in list_files(seeds)) == ["archive/story.txt", "latest.txt"]


def test_hidden_files_and_folders_are_ignored(tmp_path):
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts" / "draft.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    assert [rel for rel, _ in list_files(tmp_path)] == ["story.txt"]
