"""Step 4: the index in vectors/: build, update incrementally, save atomically, load safely.

Layout (every file JSON, numpy or FAISS; never pickle):
    manifest.json                 the commit point: settings, versions, documents, file names
    dense-<gen>.faiss             passage vectors by passage id (IndexIDMap2)
    bm25-<gen>/                   bm25s index, rows in passage order
    passages-<gen>.jsonl          one passage per line, in row order
    sentences-<gen>.npy           sentence vectors, rows grouped by passage
    sentence_offsets-<gen>.npy    passage row r owns sentence rows offsets[r]:offsets[r+1]
    sentence_attrs-<gen>.npy      one byte a sentence: answer-type bits (features.attribute_bits)
    pieces-<gen>.npy              word-piece ids of every sentence, concatenated (pieces.py)
    piece_offsets-<gen>.npy       sentence row i owns pieces[o[i]:o[i+1]]
    piece_table-<gen>.npy         the model's word-piece input embeddings, 64 dims, int8 (pieces.py)
    synonyms-<gen>.json           WordNet-related corpus stems of every lemma stem, and acronyms (lexicon.py)
    quotes.jsonl                  who-said-what, for other tools to read

A build writes a new generation of files beside the old one and then replaces
manifest.json in one rename; until that rename the old manifest points at the old, intact
files. An interrupted build therefore leaves the previous index usable, and the next build
sweeps its leftovers. A lock file serialises concurrent builds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .documents import DEFAULT_MAX_BYTES, Document, SkipFile, file_sha256, list_files, load_document
from .lexicon import SYNONYMS_VERSION, corpus_synonyms, load_synonyms, save_synonyms
from .passages import Passage
from .pieces import piece_table

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
REQUIRED_FILES = ("dense", "bm25", "bm25_sentences", "passages", "sentences", "sentence_offsets")
LOCK = ".index.lock"
PASSAGE_SETTINGS = {"min_tokens": 96, "splitter": "paragraph+sentencizer+quotefix", "version": 4,
                    "sentence_vectors": "late"}


class IndexError_(Exception):
    """Base for index problems a user must act on; exit code 3 in the CLI."""

    exit_code = 3


class IndexMissing(IndexError_):
    pass


class IndexDamaged(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


def repair_hint(vectors: Path) -> str:
    return f"run: qabot index --rebuild --vectors {vectors}"


# --- helpers ---------------------------------------------------------------------------


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("qabot", "faiss-cpu", "bm25s", "numpy", "sentence-transformers", "torch"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def read_manifest(vectors: Path) -> dict | None:
    """The manifest, None if there is no index; IndexDamaged if it cannot be read."""
    path = vectors / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexDamaged(f"{path} is unreadable ({exc}); {repair_hint(vectors)}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexDamaged(f"{path} is not a qabot index of format {FORMAT_VERSION}; {repair_hint(vectors)}")
    model = manifest.get("model")
    files = manifest.get("files")
    if not (isinstance(model, dict) and isinstance(model.get("name"), str)
            and isinstance(files, dict) and all(k in files for k in REQUIRED_FILES)
            and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in files.values())
            and isinstance(manifest.get("passage_count"), int)
            and isinstance(manifest.get("documents"), dict)):
        raise IndexDamaged(f"{path} is incomplete (missing model, files, passage_count or documents); "
                           f"{repair_hint(vectors)}")
    return manifest


# --- the loaded index ------------------------------------------------------------------


@dataclass
class IndexData:
    """Everything search needs, loaded from one generation."""

    manifest: dict
    passages: list[Passage]
    ids: np.ndarray  # passage id (int64) by row
    dense: object  # DenseIndex
    sparse: object  # SparseIndex
    sentence_vectors: np.ndarray
    sentence_offsets: np.ndarray
    sentence_sparse: object  # SparseIndex over sentences, rows as sentence_vectors
    documents: dict[str, dict] = field(default_factory=dict)
    sentence_attrs: np.ndarray | None = None  # features.attribute_bits by sentence row, if current
    pieces: np.ndarray | None = None  # word-piece ids of all sentences (None: index predates them)
    piece_offsets: np.ndarray | None = None
    piece_table: np.ndarray | None = None
    synonyms: dict[str, list[str]] | None = None  # lexicon.build_synonyms (None: index predates it)

    def rows_of_ids(self, ids: np.ndarray) -> np.ndarray:
        """Passage rows of FAISS ids. Ids grow with every build and rows keep their order,
        so `ids` is sorted and a binary search replaces a million-entry dict."""
        return np.searchsorted(self.ids, np.asarray(ids, dtype=np.int64))


def _check_files(vectors: Path, manifest: dict) -> None:
    for rec in manifest.get("files", {}).values():
        path = vectors / rec["name"]
        if not path.exists():
            raise IndexDamaged(f"index file {path} is missing; {repair_hint(vectors)}")
        if path.is_file() and "bytes" in rec and path.stat().st_size != rec["bytes"]:
            raise IndexDamaged(f"index file {path} has {path.stat().st_size} bytes, "
                               f"expected {rec['bytes']} (truncated?); {repair_hint(vectors)}")


def load_index(vectors: Path, *, model_name: str | None = None, mmap: bool = False) -> IndexData:
    """Load and check the index; raises IndexMissing / IndexDamaged / IndexMismatch."""
    from .dense import DenseIndex
    from .sparse import SparseIndex

    manifest = read_manifest(vectors)
    if manifest is None:
        raise IndexMissing(f"no index in {vectors}; run: qabot index --vectors {vectors}")
    if model_name and manifest["model"]["name"] != model_name:
        raise IndexMismatch(
            f"the index in {vectors} was built with model {manifest['model']['name']!r}, "
            f"not {model_name!r}; {repair_hint(vectors)}")
    _check_files(vectors, manifest)
    files = manifest["files"]
    try:
        passages, ids = [], []
        with open(vectors / files["passages"]["name"], encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ids.append(d.pop("id"))
                passages.append(Passage.from_json(d))
        dense = DenseIndex.load(vectors / files["dense"]["name"], mmap=mmap,
                                info=manifest.get("faiss_index"))
        sparse = SparseIndex.load(vectors / files["bm25"]["name"], mmap=mmap)
        sent = np.load(vectors / files["sentences"]["name"], allow_pickle=False,
                       mmap_mode="r" if mmap else None)
        offsets = np.load(vectors / files["sentence_offsets"]["name"], allow_pickle=False)
        sent_sparse = SparseIndex.load(vectors / files["bm25_sentences"]["name"], mmap=mmap)
        attrs = _load_attrs(vectors, manifest, mmap)
        pieces = {key: np.load(vectors / files[key]["name"], allow_pickle=False,
                               mmap_mode="r" if mmap else None)
                  for key in ("pieces", "piece_offsets", "piece_table") if key in files}
        synonyms = load_synonyms(vectors / files["synonyms"]["name"]) if "synonyms" in files else None
    except IndexError_:
        raise
    except Exception as exc:  # any parse failure means a damaged file
        raise IndexDamaged(f"the index in {vectors} is damaged ({type(exc).__name__}: {exc}); "
                           f"{repair_hint(vectors)}") from None
    n = manifest["passage_count"]
    if not (len(passages) == n == dense.size and (n == 0 or sparse.size == n)
            and len(offsets) == n + 1 and sent.shape[0] == int(offsets[-1])
            and (attrs is None or attrs.shape == (sent.shape[0],))
            and (not pieces or (pieces["piece_offsets"].shape == (sent.shape[0] + 1,)
                                and len(pieces["pieces"]) == int(pieces["piece_offsets"][-1])
                                and int(pieces["pieces"].max(initial=0)) < len(pieces["piece_table"])))):
        raise IndexDamaged(f"the index in {vectors} is inconsistent (passages {len(passages)}, "
                           f"vectors {dense.size}, bm25 {sparse.size}, manifest {n}); {repair_hint(vectors)}")
    ids_arr = np.asarray(ids, dtype=np.int64)
    if len(ids_arr) > 1 and not bool(np.all(ids_arr[1:] > ids_arr[:-1])):
        raise IndexDamaged(f"the passages in {vectors} are out of order; {repair_hint(vectors)}")
    if not np.array_equal(np.sort(dense.all_ids()), ids_arr):
        raise IndexDamaged(f"the vectors in {vectors} do not belong to its passages; {repair_hint(vectors)}")
    return IndexData(manifest, passages, ids_arr, dense, sparse, sent, offsets, sent_sparse,
                     manifest.get("documents", {}), attrs, pieces.get("pieces"), pieces.get("piece_offsets"),
                     pieces.get("piece_table"), synonyms)


def _load_attrs(vectors: Path, manifest: dict, mmap: bool) -> np.ndarray | None:
    """The stored sentence attribute bytes, or None if absent or made by other rules."""
    from .features import ATTRIBUTES_VERSION

    rec = manifest["files"].get("sentence_attrs")
    if not rec or manifest.get("settings", {}).get("attributes") != ATTRIBUTES_VERSION:
        return None
    return np.load(vectors / rec["name"], allow_pickle=False, mmap_mode="r" if mmap else None)


# --- building --------------------------------------------------------------------------


@dataclass
class UpdateReport:
    """What an index run did, for the log line and the tests."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: int = 0
    embedded_passages: int = 0
    passages: int = 0
    seconds: float = 0.0
    encode_seconds: float = 0.0  # of which in the model (passage and sentence vectors)
    index_seconds: float = 0.0  # until the search index was committed (searchable)
    quotes_seconds: float = 0.0  # quote extraction after that commit
    rebuilt: bool = False

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged, {len(self.skipped)} skipped; embedded "
                f"{self.embedded_passages} passages; {self.passages} passages in the index "
                f"({self.seconds:.1f} s" + (f"; searchable after {self.index_seconds:.1f} s, quotes "
                                            f"{self.quotes_seconds:.1f} s)" if self.quotes_seconds else ")"))


def _scan(seeds: Path, old_docs: dict[str, dict], max_bytes: int = DEFAULT_MAX_BYTES
          ) -> tuple[dict[str, dict], list[str]]:
    """Current files with hashes; the hash is reused when size and mtime are unchanged.

    A document's hash covers its NAME.meta.json too, so editing the metadata re-indexes it.
    """
    from .documents import sidecar_path, unique_doc_id

    by_path = {d["path"]: d for d in old_docs.values()}
    found: dict[str, dict] = {}
    taken: set[str] = set()
    for rel, path in list_files(seeds):
        st = path.stat()
        meta = sidecar_path(path)
        mst = meta.stat() if meta else None
        stamp = [st.st_size, st.st_mtime_ns] + ([mst.st_size, mst.st_mtime_ns] if mst else [])
        old = by_path.get(rel)
        if old and old.get("stamp") == stamp:
            sha = old["sha256"]
        elif st.st_size > max_bytes:
            sha = f"oversized:{st.st_size}:{st.st_mtime_ns}"  # skipped below: not worth reading
        else:
            try:
                sha = file_sha256(path)
                if meta:
                    sha = hashlib.sha256((sha + file_sha256(meta)).encode()).hexdigest()
            except OSError as exc:
                log.warning("skipping %s: cannot read (%s)", rel, exc.strerror)
                continue
        found[unique_doc_id(rel, taken)] = {"path": rel, "sha256": sha, "size": st.st_size,
                                            "mtime_ns": st.st_mtime_ns, "stamp": stamp}
    return found, []


def _settings_key(model_name: str, dim: int, max_tokens: int) -> dict:
    return {"model": model_name, "dim": dim, "max_tokens": max_tokens, **PASSAGE_SETTINGS}


def update_index(seeds: Path, vectors: Path, *, encoder=None, rebuild: bool = False,
                 max_bytes: int = DEFAULT_MAX_BYTES, extract_quotes: bool = True) -> UpdateReport:
    """Bring vectors/ up to date with seeds/, embedding only new or changed documents.

    On an unchanged corpus this reads file metadata and returns without loading the model.
    """
    from filelock import FileLock

    vectors.mkdir(parents=True, exist_ok=True)
    with FileLock(str(vectors / LOCK)):
        return _update_locked(seeds, vectors, encoder=encoder, rebuild=rebuild, max_bytes=max_bytes,
                              extract_quotes=extract_quotes)


def _update_locked(seeds: Path, vectors: Path, *, encoder, rebuild: bool, max_bytes: int,
                   extract_quotes: bool) -> UpdateReport:
    t0 = time.perf_counter()
    report = UpdateReport()
    if not seeds.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds} does not exist")
    try:
        manifest = None if rebuild else read_manifest(vectors)
    except IndexDamaged as exc:
        log.warning("%s; rebuilding from scratch", exc)
        manifest = None
    old_docs: dict[str, dict] = manifest.get("documents", {}) if manifest else {}
    # files that failed before are remembered by hash, so an unchanged bad file is not re-read
    old_skipped: dict[str, dict] = manifest.get("skipped", {}) if manifest else {}
    found, _ = _scan(seeds, {**old_docs, **old_skipped}, max_bytes)

    if encoder is None:
        from .embeddings import Encoder

        encoder = Encoder()
    model_name = encoder.name
    if manifest and manifest["model"]["name"] != model_name:
        log.info("index was built with %s, now %s: rebuilding", manifest["model"]["name"], model_name)
        manifest, old_docs, old_skipped = None, {}, {}
    if manifest and manifest.get("settings", {}).get("passages") != PASSAGE_SETTINGS:
        log.info("passage settings changed: rebuilding")
        manifest, old_docs, old_skipped = None, {}, {}

    new_ids = [d for d in found if d not in old_docs and not _same(found[d], old_skipped.get(d))]
    changed = [d for d in found if d in old_docs and found[d]["sha256"] != old_docs[d]["sha256"]]
    removed = [d for d in old_docs if d not in found]
    still_skipped = {d: old_skipped[d] for d in found if _same(found[d], old_skipped.get(d))}
    report.unchanged = sum(1 for d in found if d in old_docs and d not in changed)
    report.skipped = [v["path"] for v in still_skipped.values()]
    for rec in still_skipped.values():
        log.warning("skipping %s: %s (unchanged since the last run)", rec["path"], rec.get("reason", ""))

    # an index from before word pieces, or with older sentence attributes, gets them in a new
    # generation, without re-embedding
    from .features import ATTRIBUTES_VERSION

    current = bool(manifest) and "pieces" in manifest["files"] \
        and manifest.get("settings", {}).get("attributes") == ATTRIBUTES_VERSION \
        and manifest.get("settings", {}).get("synonyms", {}).get("version") == SYNONYMS_VERSION
    if current and not (new_ids or changed or removed):
        _touch_mtimes(vectors, manifest, found)
        _ensure_query_encoder(vectors, encoder, manifest)
        # leftovers of a killed build go even when there is nothing to do
        _sweep(vectors, keep={rec["name"] for rec in manifest["files"].values()})
        if extract_quotes and manifest.get("quotes_pending"):  # a build stopped while extracting
            t1 = time.perf_counter()
            _complete_quotes(vectors, seeds, found, [], max_bytes)
            report.quotes_seconds = time.perf_counter() - t1
        report.passages = manifest["passage_count"]
        report.seconds = time.perf_counter() - t0
        return report

    # Something changed: load the old generation (if any) and apply the difference.
    data = None
    if manifest:
        try:
            data = load_index(vectors)
        except IndexError_ as exc:
            log.warning("%s; rebuilding from scratch", exc)
            data, old_docs = None, {}
            new_ids, changed, removed = list(found), [], []
    report.rebuilt = data is None

    to_read = new_ids + changed if data is not None else [d for d in found if d not in still_skipped]
    docs: list[Document] = []
    skipped = dict(still_skipped)
    for doc_id in to_read:
        rec = found[doc_id]
        try:
            docs.append(load_document(seeds / rec["path"], rec["path"], sha256=rec["sha256"],
                                      max_bytes=max_bytes, doc_id=doc_id))
        except SkipFile as exc:
            log.warning("skipping %s: %s", rec["path"], exc)
            skipped[doc_id] = {**rec, "reason": str(exc)}
            report.skipped.append(rec["path"])
    # a changed file that became unreadable loses its old passages: the file no longer says that
    drop = set(changed) | set(removed)
    if data is not None:
        drop |= {d for d in old_docs if d in skipped}
    _write_generation(vectors, encoder, data, manifest, docs, drop, skipped, found, report, extract_quotes)
    report.index_seconds = time.perf_counter() - t0
    if extract_quotes:  # after the commit: the new passages are searchable while quotes are found
        _complete_quotes(vectors, seeds, found, docs, max_bytes)
        report.quotes_seconds = time.perf_counter() - t0 - report.index_seconds
    report.added = [d.doc_id for d in docs if d.doc_id not in old_docs]
    report.changed = [d for d in changed if d not in skipped] if data is not None else []
    report.removed = [d for d in removed] + ([d for d in changed if d in skipped] if data is not None else [])
    report.seconds = time.perf_counter() - t0
    return report


def _same(found: dict, old: dict | None) -> bool:
    return bool(old) and old.get("sha256") == found["sha256"]


def _touch_mtimes(vectors: Path, manifest: dict, found: dict) -> bool:
    """Record new mtimes of files whose content did not change, so the next scan skips hashing."""
    dirty = False
    for doc_id, rec in manifest["documents"].items():
        f = found.get(doc_id)
        if f and (f["stamp"] != rec.get("stamp") or f["path"] != rec.get("path")):
            rec.update(mtime_ns=f["mtime_ns"], size=f["size"], path=f["path"], stamp=f["stamp"])
            dirty = True
    if dirty:
        atomic_write_text(vectors / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return dirty


def _write_generation(vectors: Path, encoder, data: IndexData | None, manifest: dict | None,
                      docs: list[Document], drop: set[str], skipped: dict[str, dict],
                      found: dict[str, dict], report: UpdateReport, extract_quotes: bool) -> None:
    from .dense import DenseIndex
    from .features import ATTRIBUTES_VERSION
    from .sparse import SparseIndex, stem_words

    # passages kept from the old generation, in their old order, then the new ones
    kept_rows: list[int] = []
    passages: list[Passage] = []
    ids: list[int] = []
    documents: dict[str, dict] = {}
    next_id = manifest.get("next_id", 0) if manifest else 0
    if data is not None:
        for r, p in enumerate(data.passages):
            if p.doc_id not in drop:
                kept_rows.append(r)
                passages.append(p)
                ids.append(int(data.ids[r]))
        documents = {k: v for k, v in data.documents.items() if k not in drop}
        for doc_id, rec in documents.items():  # refresh mtimes of unchanged files
            if doc_id in found:
                rec.update({k: found[doc_id][k] for k in ("mtime_ns", "size", "path", "stamp")})

    new_passages: list[Passage] = []
    for doc in docs:
        ps = passages_of(doc, encoder)
        new_passages.extend(ps)
        documents[doc.doc_id] = {**doc.meta(),
                                 **{k: found[doc.doc_id][k] for k in ("size", "mtime_ns", "stamp", "sha256")},
                                 "passages": len(ps)}
    new_ids = list(range(next_id, next_id + len(new_passages)))
    next_id += len(new_passages)

    # embeddings: passages and their sentences in one batched call
    texts = [p.text for p in new_passages]
    report.embedded_passages = len(texts)
    mode = PASSAGE_SETTINGS["sentence_vectors"]
    new_pieces: list[np.ndarray] | None = None  # each new sentence's word pieces, as the encoder read them
    if mode == "separate":
        sent_texts = [s for p in new_passages for s in p.sentences]
        vecs = encoder.encode(texts + sent_texts) if texts else np.zeros((0, encoder.dim), np.float32)
        p_vecs, s_vecs = vecs[:len(texts)], vecs[len(texts):]
    else:
        t_enc = time.perf_counter()
        new_pieces = []
        p_vecs, per_passage = encoder.encode_passages(texts, [p.sentence_spans for p in new_passages],
                                                      pieces=new_pieces)
        report.encode_seconds = time.perf_counter() - t_enc
        s_vecs = np.vstack(per_passage) if per_passage else np.zeros((0, encoder.dim), np.float32)
        if mode == "late+separate":
            sep = encoder.encode([s for p in new_passages for s in p.sentences])
            mixed = s_vecs + sep
            s_vecs = mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-12)

    dim = encoder.dim
    if data is not None:
        dense = data.dense
        dense.remove(np.asarray([int(data.ids[r]) for r in range(len(data.passages))
                                 if data.passages[r].doc_id in drop], dtype=np.int64))
        old_sent = [np.asarray(data.sentence_vectors[data.sentence_offsets[r]:data.sentence_offsets[r + 1]])
                    for r in kept_rows]
    else:
        dense = DenseIndex(dim)
        old_sent = []
    # exact up to QABOT_EXACT_MAX passages, else IVF; rebuilt when crossing it or after 4x growth
    dense = dense.extend(np.asarray(new_ids, dtype=np.int64), p_vecs)
    passages.extend(new_passages)
    ids.extend(new_ids)
    sent_blocks = old_sent + [s_vecs]
    sentence_vectors = np.vstack(sent_blocks) if sent_blocks else np.zeros((0, dim), np.float32)
    counts = [len(p.sentences) for p in passages]
    offsets = np.zeros(len(passages) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    if int(offsets[-1]) != sentence_vectors.shape[0]:
        raise RuntimeError("sentence vectors out of step with passages (bug)")
    passage_texts = [p.text for p in passages]
    sparse = SparseIndex.build(passage_texts)
    sentence_sparse = SparseIndex.build([s for p in passages for s in p.sentences])
    attrs = _sentence_attrs(data, kept_rows, passages[len(kept_rows):])
    old_table = data is not None and data.piece_table is not None  # the model's: kept across generations
    table = data.piece_table if old_table else piece_table(encoder)
    pieces, piece_offsets = _sentence_pieces(data, kept_rows, passages[len(kept_rows):], encoder, len(table),
                                             new_pieces)

    synonyms, synonyms_info = corpus_synonyms(sentence_sparse.retriever.vocab_dict, stem_words,
                                              passage_texts)

    gen = _generation_name()
    names = {
        "dense": f"dense-{gen}.faiss",
        "bm25": f"bm25-{gen}",
        "bm25_sentences": f"bm25s-{gen}",
        "passages": f"passages-{gen}.jsonl",
        "sentences": f"sentences-{gen}.npy",
        "sentence_offsets": f"sentence_offsets-{gen}.npy",
        "sentence_attrs": f"sentence_attrs-{gen}.npy",
        "pieces": f"pieces-{gen}.npy",
        "piece_offsets": f"piece_offsets-{gen}.npy",
        "piece_table": manifest["files"]["piece_table"]["name"] if old_table else f"piece_table-{gen}.npy",
        "synonyms": f"synonyms-{gen}.json",
    }
    dense.save(vectors / names["dense"])
    sparse.save(vectors / names["bm25"])
    sentence_sparse.save(vectors / names["bm25_sentences"])
    with open(vectors / names["passages"], "w", encoding="utf-8") as f:
        for i, p in zip(ids, passages):
            f.write(json.dumps({"id": i, **p.to_json()}, ensure_ascii=False) + "\n")
    np.save(vectors / names["sentences"], sentence_vectors.astype(np.float32), allow_pickle=False)
    np.save(vectors / names["sentence_offsets"], offsets, allow_pickle=False)
    np.save(vectors / names["sentence_attrs"], attrs, allow_pickle=False)
    np.save(vectors / names["pieces"], pieces, allow_pickle=False)
    np.save(vectors / names["piece_offsets"], piece_offsets, allow_pickle=False)
    if not old_table:
        np.save(vectors / names["piece_table"], table, allow_pickle=False)
    save_synonyms(vectors / names["synonyms"], synonyms)
    quotes_count, pending = None, []
    if extract_quotes:  # the kept documents' quotes now; the new ones' in _complete_quotes
        quotes_count = _write_quotes(vectors, gen, names, manifest, [], drop, documents)
        pending = [d for d in (manifest or {}).get("quotes_pending", []) if d in documents and d not in drop]
        pending += [d.doc_id for d in docs]
    files = {key: _synced(vectors, name) for key, name in names.items()}
    _fsync_dir(vectors)

    query_encoder = _query_encoder(vectors, encoder, manifest.get("query_encoder") if manifest else None)

    new_manifest = {
        "format": FORMAT_VERSION,
        "generation": gen,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": {"name": encoder.name, "dim": dim, "max_tokens": encoder.max_tokens},
        "metric": "inner_product",
        "faiss_index": dense.info,
        "settings": {"passages": PASSAGE_SETTINGS, "bm25": {"method": "lucene", "k1": 1.2, "b": 0.75,
                                                            "stopwords": "en", "stemmer": "english"},
                     "attributes": ATTRIBUTES_VERSION, "synonyms": synonyms_info},
        "versions": library_versions(),
        "document_count": len(documents),
        "passage_count": len(passages),
        "sentence_count": int(sentence_vectors.shape[0]),
        "quote_count": quotes_count,
        "quotes_pending": pending,
        "next_id": next_id,
        "query_encoder": query_encoder,
        "files": files,
        "documents": documents,
        "skipped": skipped,
    }
    atomic_write_text(vectors / MANIFEST, json.dumps(new_manifest, ensure_ascii=False, indent=1))
    _fsync_dir(vectors)
    report.passages = len(passages)
    _sweep(vectors, keep=set(names.values()))


def passages_of(doc: Document, encoder) -> list[Passage]:
    """A document's passages as the index makes them (PASSAGE_SETTINGS, the encoder's window)."""
    from .passages import make_passages

    return make_passages(doc, encoder.count_tokens, max_tokens=encoder.max_tokens,
                         min_tokens=PASSAGE_SETTINGS["min_tokens"])


def _generation_name() -> str:
    """Unique even for two builds in one second of one process: files are never overwritten."""
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _synced(vectors: Path, name: str) -> dict:
    """The manifest record of a written file (a bm25s folder has no size), flushed to disk."""
    path = vectors / name
    if not path.is_file():
        return {"name": name}
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    return {"name": name, "bytes": path.stat().st_size}


def _sentence_attrs(data: IndexData | None, kept_rows: list[int], new: list[Passage]) -> np.ndarray:
    """Attribute bytes for every sentence: the kept passages' carried over when current."""
    from .features import attribute_array

    blocks = []
    if data is not None:
        offs = data.sentence_offsets
        for r in kept_rows:
            if data.sentence_attrs is not None:
                blocks.append(np.asarray(data.sentence_attrs[offs[r]:offs[r + 1]]))
            else:
                blocks.append(attribute_array(data.passages[r].sentences))
    blocks.append(attribute_array(s for p in new for s in p.sentences))
    return np.concatenate(blocks).astype(np.uint8)


def _sentence_pieces(data: IndexData | None, kept_rows: list[int], new: list[Passage], encoder,
                     vocab_size: int, new_pieces: list[np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids of every sentence: the kept passages' carried over, the new ones' as the
    encoder read them (`new_pieces`, one array a sentence) or else tokenised."""
    from .pieces import piece_dtype, sentence_pieces

    blocks: list[np.ndarray] = []
    lengths: list[np.ndarray] = []

    def tokenised(sentences: list[str]) -> None:
        ids, o = sentence_pieces(encoder, sentences, vocab_size)
        blocks.append(ids)
        lengths.append(np.diff(o))

    if data is not None and data.pieces is not None and data.piece_offsets is not None:
        offs, p_offs = data.sentence_offsets, data.piece_offsets
        for r in kept_rows:
            a, b = int(p_offs[offs[r]]), int(p_offs[offs[r + 1]])
            blocks.append(np.asarray(data.pieces[a:b]))
            lengths.append(np.diff(np.asarray(p_offs[offs[r]:offs[r + 1] + 1])))
    elif data is not None:  # an older index: its sentences were never tokenised
        tokenised([s for r in kept_rows for s in data.passages[r].sentences])
    if new_pieces is None:
        tokenised([s for p in new for s in p.sentences])
    elif len(new_pieces) != sum(len(p.sentences) for p in new):
        raise RuntimeError("word pieces out of step with sentences (bug)")
    else:
        blocks.extend(new_pieces)
        lengths.append(np.array([len(x) for x in new_pieces], np.int64))
    offsets = np.zeros(sum(len(x) for x in lengths) + 1, np.int64)
    offsets[1:] = np.cumsum(np.concatenate(lengths)) if len(offsets) > 1 else []
    flat = np.concatenate(blocks) if blocks else np.zeros(0, np.int64)
    return flat.astype(piece_dtype(vocab_size)), offsets


ONNX_DIR = "encoder-onnx"


def query_encoder_folder(vectors: Path, rec: dict | None) -> Path | None:
    """The ONNX export's folder if the manifest record points at an intact model file."""
    if not rec:
        return None
    folder = vectors / rec.get("dir", ONNX_DIR)
    path = folder / rec.get("file", "model.onnx")
    return folder if path.is_file() and path.stat().st_size == rec.get("bytes") else None


def _query_encoder(vectors: Path, encoder, old: dict | None) -> dict | None:
    """Export the model to ONNX for the question path (once per model), checked against it.

    Questions are encoded with onnxruntime, whose start-up is a fraction of torch's; the
    export is verified to give the same vectors (cosine >= 0.9999) before it is used.
    """
    if old and old.get("name") == encoder.name and query_encoder_folder(vectors, old):
        return old
    folder = vectors / ONNX_DIR
    try:
        from .onnx_encoder import export_onnx

        rec = export_onnx(encoder.model_path, folder, reference=encoder.model, name=encoder.name)
    except Exception as exc:  # any failure leaves sentence-transformers serving questions
        log.warning("no ONNX query encoder (%s); questions will use sentence-transformers", exc)
        return None
    return {**rec, "dir": ONNX_DIR}


def _ensure_query_encoder(vectors: Path, encoder, manifest: dict) -> None:
    """Export the ONNX encoder for an index that predates it or lost it (never twice for a failure)."""
    rec = manifest.get("query_encoder", "absent")
    if rec is None:
        return  # an export was tried and failed; questions use sentence-transformers
    if rec != "absent" and query_encoder_folder(vectors, rec):
        return
    manifest["query_encoder"] = _query_encoder(vectors, encoder, None)
    atomic_write_text(vectors / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))


def _write_quotes(vectors: Path, gen: str, names: dict, manifest: dict | None,
                  docs: list[Document], drop: set[str], documents: dict) -> int:
    """Quotes of the new documents plus the stored quotes of the kept ones, clustered again.

    Each record keeps `doc_speaker` (the speaker as resolved within its article), so the
    corpus-wide clustering can be redone when documents come and go.
    """
    from .answer import make_citation
    from .quotes import Quote, canonicalize, extract_many

    fields = set(Quote.__dataclass_fields__)
    old: list[Quote] = []
    if manifest and "quotes" in manifest.get("files", {}):
        path = vectors / manifest["files"]["quotes"]["name"]
        if path.exists():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    q = json.loads(line)
                    if q["doc_id"] in drop:
                        continue
                    q["speaker"] = q.get("doc_speaker", q["speaker"])
                    old.append(Quote(**{k: v for k, v in q.items() if k in fields}))
    new = extract_many(docs)
    doc_speakers = [q.speaker for q in old + new]
    quotes = canonicalize(old + new)
    records = []
    for q, doc_speaker in zip(quotes, doc_speakers, strict=True):
        meta = documents.get(q.doc_id, {})
        rec = q.to_json(make_citation(meta, [q.paragraph], q.doc_id))
        rec["doc_speaker"] = doc_speaker
        records.append(rec)
    names["quotes"] = f"quotes-{gen}.jsonl"
    text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in records)
    (vectors / names["quotes"]).write_text(text, encoding="utf-8")
    return len(records)


def _complete_quotes(vectors: Path, seeds: Path, found: dict[str, dict], docs: list[Document],
                     max_bytes: int) -> None:
    """Second commit of a build: extract the quotes of the documents the manifest lists as pending.

    Quote extraction (spaCy) costs about as much as embedding, so it runs after the search
    index is committed: new passages are searchable meanwhile. A build stopped here leaves
    the documents pending, and the next `qabot index` finishes them.
    """
    manifest = read_manifest(vectors)
    pending = list(manifest.get("quotes_pending", [])) if manifest else []
    if not pending:
        return
    by_id = {d.doc_id: d for d in docs}
    todo: list[Document] = []
    for doc_id in pending:
        if doc_id in by_id:
            todo.append(by_id[doc_id])
            continue
        rec = found.get(doc_id)
        if rec is None:
            continue
        try:
            todo.append(load_document(seeds / rec["path"], rec["path"], sha256=rec["sha256"],
                                      max_bytes=max_bytes, doc_id=doc_id))
        except SkipFile as exc:
            log.warning("no quotes for %s: %s", rec["path"], exc)
    gen = _generation_name()
    names: dict[str, str] = {}
    manifest["quote_count"] = _write_quotes(vectors, gen, names, manifest, todo, set(), manifest["documents"])
    manifest["files"]["quotes"] = _synced(vectors, names["quotes"])
    manifest["quotes_pending"] = []
    atomic_write_text(vectors / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    _fsync_dir(vectors)
    _sweep(vectors, keep={rec["name"] for rec in manifest["files"].values()})


def _sweep(vectors: Path, keep: Iterable[str]) -> None:
    """Remove files of older or interrupted generations."""
    keep = set(keep)
    manifest = read_manifest(vectors)
    if manifest and "quotes" in manifest["files"]:
        # the stable name other tools read; a copy of this generation's quotes
        src = vectors / manifest["files"]["quotes"]["name"]
        atomic_write_text(vectors / "quotes.jsonl", src.read_text(encoding="utf-8"))
    for path in vectors.iterdir():
        name = path.name
        if name in keep or name in (MANIFEST, LOCK, "quotes.jsonl", ".gitkeep", ONNX_DIR):
            continue
        if any(name.startswith(p) for p in ("dense-", "bm25-", "bm25s-", "passages-", "sentences-",
                                            "sentence_offsets-", "sentence_attrs-", "quotes-",
                                            "pieces-", "piece_offsets-", "piece_table-", "synonyms-",
                                            ".manifest.json.")):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
