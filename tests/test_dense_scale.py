"""The dense index chosen by corpus size: exact below the threshold, IVF with tuned nprobe above.

Synthetic clustered unit vectors (uniform random 384-d vectors have no neighbourhood structure
and say nothing about ANN recall); the threshold is lowered so 20k vectors get an IVF index.
"""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from retrieval import dense as dense_mod
from retrieval.dense import DenseIndex, build

DIM = 64
N = 20_000


def clustered(n: int, seed: int, clusters: int = 400, noise: float = 0.08) -> np.ndarray:
    centres = np.random.default_rng(1).standard_normal((clusters, DIM)).astype(np.float32)
    rng = np.random.default_rng(seed)
    x = centres[rng.integers(0, clusters, n)] / np.sqrt(DIM)
    x = x + noise * rng.standard_normal((n, DIM)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def exact_top(x: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int = 10) -> np.ndarray:
    return ids[np.argsort(-(q @ x.T), axis=1)[:, :k]]


@pytest.fixture(scope="module")
def corpus():
    x = clustered(N, 2)
    ids = np.arange(N, dtype=np.int64) * 7 + 3  # ids are not row numbers
    return ids, x


@pytest.fixture(scope="module")
def ivf(corpus):
    ids, x = corpus
    return build(ids, x, limit=5_000)


def test_small_corpus_is_exact(corpus, monkeypatch):
    ids, x = corpus
    d = build(ids[:3000], x[:3000], limit=5_000)
    assert not d.is_ivf and d.info["type"] == "IDMap2,Flat" and d.size == 3000
    monkeypatch.setenv("QABOT_EXACT_MAX", "2000")
    assert build(ids[:3000], x[:3000]).is_ivf


def test_large_corpus_gets_ivf_with_recorded_choice(ivf):
    info = ivf.info
    assert ivf.is_ivf and ivf.size == N
    assert info["nlist"] == round(4 * np.sqrt(N)) and info["type"] == f"IVF{info['nlist']},Flat"
    assert info["nprobe"] in dense_mod.NPROBES and ivf.index.nprobe == info["nprobe"]
    assert info["recall_at_10"] >= 0.95
    assert info["trained_on"] == min(N - dense_mod.TUNE_QUERIES, 50 * info["nlist"])
    assert set(info) >= {"type", "nlist", "nprobe", "recall_at_10", "trained_on"}


def test_recall_against_exact_on_fresh_queries(corpus, ivf):
    ids, x = corpus
    q = clustered(100, 9)
    truth = exact_top(x, ids, q)
    found = [ivf.search(v, 10)[1] for v in q]
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.95


def test_reconstruct_remove_add_by_id(corpus):
    ids, x = corpus
    d = build(ids, x, limit=5_000)
    np.testing.assert_allclose(d.vectors(ids[[5, 17, 19_999]]), x[[5, 17, 19_999]], atol=1e-6)
    gone = ids[:100]
    assert d.remove(gone) == 100 and d.size == N - 100
    assert not set(gone.tolist()) & set(d.all_ids().tolist())
    assert int(gone[0]) not in d.search(x[0], 10)[1].tolist()
    d2 = d.extend(gone, x[:100], limit=5_000)
    assert d2 is d and d.size == N  # same index: no retraining
    np.testing.assert_allclose(d.vectors(gone[:3]), x[:3], atol=1e-6)
    assert int(gone[0]) in d.search(x[0], 10)[1].tolist()
    assert sorted(d.all_ids().tolist()) == sorted(ids.tolist())


def test_crossing_threshold_and_growth_rebuild(corpus):
    ids, x = corpus
    d = DenseIndex(DIM)
    d = d.extend(ids[:2000], x[:2000], limit=3_000)
    assert not d.is_ivf
    d = d.extend(ids[2000:4000], x[2000:4000], limit=3_000)  # crosses: rebuilt as IVF
    assert d.is_ivf and d.info["trained_at_size"] == 4000
    d = d.extend(ids[4000:8000], x[4000:8000], limit=3_000)  # 2x: kept
    assert d.info["trained_at_size"] == 4000 and d.size == 8000
    d = d.extend(ids[8000:16000], x[8000:16000], limit=3_000)  # 4x: retrained
    assert d.info["trained_at_size"] == 16000 and d.info["nlist"] == round(4 * np.sqrt(16000))
    np.testing.assert_allclose(d.vectors(ids[[0, 15999]]), x[[0, 15999]], atol=1e-6)
    d.remove(ids[2000:16000])
    d = d.extend(ids[:0], x[:0], limit=3_000)  # back under the threshold: exact again
    assert not d.is_ivf and sorted(d.all_ids().tolist()) == ids[:2000].tolist()


@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_save_load_round_trip_mmap(tmp_path, corpus, ivf, kind):
    ids, x = corpus
    d = ivf if kind == "ivf" else build(ids[:3000], x[:3000], limit=5_000)
    path = tmp_path / "dense.faiss"
    d.save(path)
    q = clustered(20, 4)
    for mmap in (True, False):
        got = DenseIndex.load(path, mmap=mmap, info=d.info)
        assert got.is_ivf == d.is_ivf and got.size == d.size and got.info == d.info
        assert got.read_only is mmap
        if kind == "ivf":
            assert got.index.nprobe == d.info["nprobe"]
        for v in q:
            np.testing.assert_array_equal(got.search(v, 10)[1], d.search(v, 10)[1])
        np.testing.assert_allclose(got.vectors(ids[[1, 2]]), x[[1, 2]], atol=1e-6)
        assert sorted(got.all_ids().tolist()) == sorted(d.all_ids().tolist())
        if mmap:
            with pytest.raises(RuntimeError):
                got.remove(ids[:1])
        else:  # a writable load supports incremental updates
            assert got.remove(ids[:5]) == 5
            got.add(ids[:5], x[:5])
            assert got.size == d.size
            np.testing.assert_allclose(got.vectors(ids[:2]), x[:2], atol=1e-6)


def test_query_path_stays_single_threaded(ivf):
    assert faiss.omp_get_max_threads() == 1 or "QABOT_FAISS_THREADS" in __import__("os").environ
