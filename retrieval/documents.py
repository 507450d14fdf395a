"""Step 1: read the files in seeds/ into clean documents with numbered paragraphs.

Every format ends up as the same `Document`: metadata plus the body paragraphs, each with
its character offsets into `Document.text`, so a citation can point at the exact place.
News furniture (photo caption, headline, byline, dateline, section headings, newsletter
boilerplate) is recognised and kept out of the paragraphs. Two pieces of it are still read:
the photo caption becomes a passage of its own and the byline opens the first passage
(passages.py), because readers ask what the photo shows and who wrote the story; their spans
are kept for that.
Unreadable files are skipped with a warning that names them; they never stop the rest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
META_SUFFIX = ".meta.json"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Paragraph:
    """A body paragraph: its 1-based number in the article and where it sits in the text."""

    number: int
    text: str
    start: int
    end: int
    heading: str = ""


@dataclass
class Document:
    """One article, ready to be split into passages."""

    doc_id: str
    path: str
    sha256: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    url: str = ""
    source: str = ""
    dateline: str = ""
    caption: str = ""
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    # where the byline ("By A and B") stands in `text`: kept for the first passage, so "who
    # wrote this?" is answered by the article's own line, as the dateline answers "filed from"
    byline_span: tuple[int, int] | None = None
    # where the photo caption stands: a passage of its own (a reader asks what the photo shows)
    caption_span: tuple[int, int] | None = None

    def meta(self) -> dict:
        """Metadata without the body, as stored in the index."""
        d = asdict(self)
        d.pop("text")
        d.pop("paragraphs")
        d.pop("byline_span")
        d.pop("caption_span")
        d["paragraph_count"] = len(self.paragraphs)
        return d


class SkipFile(Exception):
    """A file that cannot be indexed; the message says why, for the warning."""


# --- plain-text news layout ------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"^(get (the|our) .{0,60}(in your inbox|newsletter)|sign up for|subscribe (to|now)|"
    r"click here|share (this|on)|follow us|advertisement$|read more:|related:|"
    r"all rights reserved|copyright ©|©\s*\d{4})",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^(?:[Bb][Yy]|BY)\s+(?P<names>[A-Z][\w.'’-]+(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]+)*)\s*$")
# "YEREVAN (Azatutyun) — ", "LONDON, June 3 (Reuters) - ", "WASHINGTON — "
_DL_PLACE = r"[A-Z][A-Z.'’ -]{1,40}"  # "YEREVAN", "NEW YORK"
_DL_REGION = r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+\d{1,2})?)?"  # ", Ukraine", ", June 3"
_DL_AGENCY = r"\s*\([^)]{1,40}\)"  # " (Reuters)"
_DATELINE = re.compile(
    rf"^(?P<dl>{_DL_PLACE}{_DL_REGION}(?:{_DL_AGENCY})?)\s*[—–]{{1,2}}\s+"
    rf"|^(?P<dl2>{_DL_PLACE}(?:{_DL_AGENCY}))\s*-{{1,2}}\s+"
)
# the same parts as a prefix of a sentence or paragraph (any dash), for readers of the text
DATELINE_PREFIX = re.compile(rf"^{_DL_PLACE}{_DL_REGION}(?:{_DL_AGENCY})?\s*(?:[—–]{{1,2}}|--?)\s+")
_TERMINAL = ("." , "?", "!", "”", '"', "’", ":", ";", "…", ")")


def _is_headingish(block: str) -> bool:
    """Short, single line, no sentence-final punctuation: a headline or section heading."""
    if "\n" in block.strip() or len(block) > 160:
        return False
    words = block.split()
    return 0 < len(words) <= 16 and not block.rstrip().endswith(_TERMINAL)


def split_authors(names: str) -> list[str]:
    """'A and B', 'A, B and C' -> ['A', 'B', 'C']."""
    parts = re.split(r",\s*|\s+and\s+|\s*&\s*", names)
    return [p.strip() for p in parts if p.strip()]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line separated blocks, stripped of surrounding whitespace."""
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, flags=re.DOTALL):
        yield m.start(), m.end()


def parse_news_text(doc: Document, text: str, *, has_title: bool = False) -> None:
    """Fill `doc` from plain news text: furniture into metadata, the rest into paragraphs."""
    doc.text = text
    spans = list(_blocks(text))
    # The headline: the first heading-like block among the first three, unless metadata gave one.
    body_from = 0
    if not has_title:
        for i, (s, e) in enumerate(spans[:3]):
            block = text[s:e]
            if _is_headingish(block) and not BYLINE.match(block) and not _BOILERPLATE.match(block):
                doc.title = block.strip()
                if i > 0:  # whatever stands above the headline is a photo caption
                    doc.caption = " ".join(text[a:b] for a, b in spans[:i])
                    doc.caption_span = (spans[0][0], spans[i - 1][1])
                body_from = i + 1
                break
    heading = ""
    number = 0
    for s, e in spans[body_from:]:
        block = text[s:e]
        if _BOILERPLATE.match(block):
            continue
        m = BYLINE.match(block)
        if m and number == 0:
            doc.authors = doc.authors or split_authors(m.group("names"))
            doc.byline_span = doc.byline_span or (s, e)
            continue
        if _is_headingish(block):
            if number == 0 and not doc.title:
                doc.title = block
            else:
                heading = block
            continue
        if number == 0:
            d = _DATELINE.match(block)
            if d:  # kept in the text (it says where the story comes from), noted as metadata
                doc.dateline = (d.group("dl") or d.group("dl2")).strip()
        number += 1
        doc.paragraphs.append(Paragraph(number, block, s, e, heading))


# --- formats ---------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else cp1252 when it reads as text."""
    sample = raw[:65536]
    if b"\x00" in sample:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SkipFile(f"not valid UTF-8 or cp1252 text ({exc.reason})") from None
        log.warning("%s: not UTF-8, read as cp1252", name)
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:65536]) // 100):
        raise SkipFile("binary file (too many control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _markdown_to_text(text: str) -> str:
    """Markdown to news-like plain text: headings, emphasis and link syntax removed."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"^#{1,6}\s*(.*?)\s*#*\s*$", r"\n\1\n", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"^>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _apply_meta(doc: Document, meta: dict) -> None:
    for key in ("title", "date", "url", "source"):
        if meta.get(key):
            setattr(doc, key, str(meta[key]).strip())
    authors = meta.get("authors") or meta.get("author")
    if authors:
        doc.authors = split_authors(authors) if isinstance(authors, str) else [str(a) for a in authors]


def _read_markdown(doc: Document, text: str) -> None:
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        import yaml

        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            log.warning("%s: front matter is not valid YAML, ignored (%s)", doc.path, exc)
            loaded = None
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[m.end():]
    _apply_meta(doc, meta)
    parse_news_text(doc, _markdown_to_text(text), has_title=bool(doc.title))


def _read_html(doc: Document, raw: bytes) -> None:
    import trafilatura

    html = _decode(raw, doc.path)
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if result is None:
        raise SkipFile("no main text found in the HTML")
    data = result if isinstance(result, dict) else result.as_dict()
    body = data.get("text") or ""
    if not body.strip():
        raise SkipFile("no main text found in the HTML")
    _apply_meta(doc, {
        "title": data.get("title"),
        "authors": data.get("author"),
        "date": data.get("date"),
        "url": data.get("url"),
        "source": data.get("sitename"),
    })
    # trafilatura puts one paragraph per line; the news parser wants blank lines between them.
    text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip()) + "\n"
    parse_news_text(doc, text, has_title=bool(doc.title))


def _read_pdf(doc: Document, path: Path) -> None:
    import warnings

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pypdf_log = logging.getLogger("pypdf")
    notes: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage())

    collector = _Collect(logging.WARNING)
    pypdf_log.addHandler(collector)
    propagate, pypdf_log.propagate = pypdf_log.propagate, False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader = PdfReader(str(path))
            meta = reader.metadata or {}
            pages = [page.extract_text() or "" for page in reader.pages]
        notes.extend(str(w.message) for w in caught)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError, ZeroDivisionError) as exc:
        raise SkipFile(f"PDF could not be parsed ({type(exc).__name__}: {exc})") from None
    finally:
        pypdf_log.removeHandler(collector)
        pypdf_log.propagate = propagate
    if notes:  # pypdf repaired the file: say which file, not just what pypdf said
        log.warning("%s: damaged PDF, read after repair (%s)", doc.path,
                    "; ".join(dict.fromkeys(notes))[:300])
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise SkipFile("PDF has no extractable text (scanned image?)")
    # PDF lines are layout lines: a line ending without terminal punctuation continues.
    text = re.sub(r"(?<![.?!:”\"\n])\n(?!\n)", " ", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    _apply_meta(doc, {"title": getattr(meta, "title", None), "authors": getattr(meta, "author", None)})
    parse_news_text(doc, text.strip() + "\n", has_title=bool(doc.title))


# --- the corpus ------------------------------------------------------------------------


def doc_id_for(rel: str) -> str:
    """Stable id from the path under seeds/: the path without its suffix."""
    return str(Path(rel).with_suffix("")).replace(os.sep, "/")


def unique_doc_id(rel: str, taken: set[str]) -> str:
    """The id for `rel`, with its suffix kept when another file already has the bare name."""
    doc_id = doc_id_for(rel)
    if doc_id in taken:
        log.info("%s: another file is also named %r; its id keeps the suffix", rel, doc_id)
        doc_id = rel
    taken.add(doc_id)
    return doc_id


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sidecar(path: Path) -> dict:
    cand = sidecar_path(path)
    if cand is None:
        return {}
    try:
        data = json.loads(cand.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: metadata file is not valid JSON, ignored (%s)", cand, exc)
        return {}
    return data if isinstance(data, dict) else {}


def list_files(seeds: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every candidate document under seeds/, sorted.

    Symlinks that leave seeds/ and unknown suffixes are skipped with a warning.
    """
    root = seeds.resolve()
    out = []
    for dirpath, dirnames, filenames in os.walk(seeds, followlinks=False):
        for d in dirnames:
            if not d.startswith(".") and (Path(dirpath) / d).is_symlink():
                rel = (Path(dirpath) / d).relative_to(seeds).as_posix()
                log.warning("skipping %s/: symlinked folders are not followed", rel)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not (Path(dirpath) / d).is_symlink())
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith(META_SUFFIX):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(seeds).as_posix()
            if path.suffix.lower() not in SUFFIXES:
                log.warning("skipping %s: unsupported file type %r", rel, path.suffix or "(none)")
                continue
            try:
                if path.is_symlink() and not path.resolve(strict=True).is_relative_to(root):
                    log.warning("skipping %s: symlink points outside the seeds folder", rel)
                    continue
                regular = path.is_file()
            except (OSError, RuntimeError) as exc:  # a symlink loop or a dangling link
                log.warning("skipping %s: broken symlink (%s)", rel, getattr(exc, "strerror", None) or exc)
                continue
            if not regular:
                log.warning("skipping %s: not a regular file", rel)
                continue
            out.append((rel, path))
    return out


def sidecar_path(path: Path) -> Path | None:
    """The NAME.meta.json beside a document, if any."""
    for cand in (path.with_name(path.name + META_SUFFIX), path.with_suffix(META_SUFFIX)):
        if cand.is_file():
            return cand
    return None


def load_document(path: Path, rel: str, *, sha256: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, doc_id: str | None = None) -> Document:
    """Read one file into a Document; raises SkipFile with a reason a user can act on."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkipFile(f"cannot read ({exc.strerror})") from None
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(f"too large ({size / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB; "
                       "set QABOT_MAX_FILE_MB)")
    doc = Document(doc_id=doc_id or doc_id_for(rel), path=rel, sha256=sha256 or file_sha256(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            _read_pdf(doc, path)
        else:
            raw = path.read_bytes()
            if suffix in (".html", ".htm"):
                _read_html(doc, raw)
            elif suffix in (".md", ".markdown"):
                _read_markdown(doc, _decode(raw, rel))
            else:
                parse_news_text(doc, _decode(raw, rel))
    except OSError as exc:
        raise SkipFile(f"cannot read ({exc.strerror or exc})") from None
    _apply_meta(doc, _sidecar(path))
    if not doc.paragraphs:
        raise SkipFile("no text to index")
    if not doc.title:
        doc.title = Path(rel).stem
    return doc


def load_corpus(seeds: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """Every readable document under seeds/; each unreadable one is named in a warning."""
    taken: set[str] = set()
    for rel, path in list_files(seeds):
        doc_id = unique_doc_id(rel, taken)
        try:
            yield load_document(path, rel, max_bytes=max_bytes, doc_id=doc_id)
        except SkipFile as exc:
            log.warning("skipping %s: %s", rel, exc)
