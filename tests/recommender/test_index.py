"""The FAISS index: add/search/remove, persistence, exact vs HNSW, refusal to mix embedders."""

from __future__ import annotations

import numpy as np
import pytest

from layerminder.errors import InvalidRequest
from layerminder.recommender.base import l2_normalise
from layerminder.recommender.index import IndexModelMismatch, VectorIndex

MODEL = "test-model:abc:fp32"
DIM = 32


def vectors(n: int, seed: int = 0) -> np.ndarray:
    return l2_normalise(np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32))


def exact_top(data: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return ids[np.argsort(-(queries @ data.T), axis=1)[:, :k]]


def test_add_search_remove_round_trip() -> None:
    index = VectorIndex(MODEL, DIM)
    data, ids = vectors(100), np.arange(1000, 1100, dtype=np.int64)
    index.add(ids, data, model_id=MODEL)
    assert len(index) == 100 and index.kind == "flat"
    scores, found = index.search(data[:5], 3, model_id=MODEL)
    assert scores.shape == found.shape == (5, 3)
    np.testing.assert_array_equal(found[:, 0], ids[:5])
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    np.testing.assert_array_equal(found, exact_top(data, ids, data[:5], 3))

    assert index.remove([1000, 1001, 99999]) == 2
    assert len(index) == 98
    _, found = index.search(data[:2], 1, model_id=MODEL)
    assert not np.isin(found, [1000, 1001]).any()
    assert index.remove([1000]) == 0


def test_add_replaces_an_existing_id() -> None:
    index = VectorIndex(MODEL, DIM)
    data = vectors(3)
    index.add([1, 2, 3], data, model_id=MODEL)
    index.add([2], data[0], model_id=MODEL)
    assert len(index) == 3
    scores, found = index.search(data[0], 2, model_id=MODEL)
    assert set(found[0]) == {1, 2}
    np.testing.assert_allclose(scores[0], 1.0, atol=1e-5)


def test_fewer_vectors_than_k_pads_with_minus_one() -> None:
    index = VectorIndex(MODEL, DIM)
    scores, found = index.search(vectors(1), 3, model_id=MODEL)
    assert (found == -1).all() and np.isneginf(scores).all()
    index.add([7], vectors(1), model_id=MODEL)
    scores, found = index.search(vectors(2), 3, model_id=MODEL)
    assert (found[:, 0] == 7).all() and (found[:, 1:] == -1).all()


def test_serialise_round_trip_keeps_model_and_results() -> None:
    index = VectorIndex(MODEL, DIM, hnsw_threshold=10_000)
    data = vectors(50)
    index.add(np.arange(50), data, model_id=MODEL)
    restored = VectorIndex.from_bytes(index.to_bytes())
    assert (restored.model_id, restored.dim, len(restored)) == (MODEL, DIM, 50)
    assert restored.hnsw_threshold == 10_000
    for a, b in zip(
        index.search(data[:4], 5, model_id=MODEL),
        restored.search(data[:4], 5, model_id=MODEL),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(InvalidRequest):
        VectorIndex.from_bytes(b"nope")


def test_switches_to_hnsw_above_threshold_with_high_recall() -> None:
    index = VectorIndex(MODEL, DIM, hnsw_threshold=2_000)
    data, ids = vectors(3_000, seed=1), np.arange(3_000, dtype=np.int64) * 3
    index.add(ids[:1_500], data[:1_500], model_id=MODEL)
    assert index.kind == "flat"
    index.add(ids[1_500:], data[1_500:], model_id=MODEL)
    assert index.kind == "hnsw" and len(index) == 3_000
    queries = vectors(100, seed=2)
    _, found = index.search(queries, 5, model_id=MODEL)
    truth = exact_top(data, ids, queries, 5)
    recall = np.mean([len(set(f) & set(t)) / 5 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.95


def test_hnsw_remove_filters_then_compacts_and_survives_serialisation() -> None:
    index = VectorIndex(MODEL, DIM, hnsw_threshold=500)
    data, ids = vectors(1_000, seed=3), np.arange(1_000, dtype=np.int64)
    index.add(ids, data, model_id=MODEL)
    assert index.kind == "hnsw"
    assert index.remove(ids[:10]) == 10
    assert len(index) == 990
    _, found = index.search(data[:10], 1, model_id=MODEL)
    assert not np.isin(found, ids[:10]).any()
    restored = VectorIndex.from_bytes(index.to_bytes())
    assert len(restored) == 990
    _, found = restored.search(data[:10], 1, model_id=MODEL)
    assert not np.isin(found, ids[:10]).any()
    # Past the tombstone share the graph is rebuilt without the removed rows.
    restored.remove(ids[10:200])
    assert len(restored) == 800 and restored.kind == "hnsw"
    assert not np.isin(restored.ids(), ids[:200]).any()
    _, found = restored.search(data[500:510], 1, model_id=MODEL)
    np.testing.assert_array_equal(found[:, 0], ids[500:510])
    # Re-adding a removed id in HNSW mode brings back only the new vector.
    restored.add([5], data[600], model_id=MODEL)
    _, found = restored.search(data[600], 2, model_id=MODEL)
    assert set(found[0]) == {5, 600}


def test_refuses_another_models_vectors() -> None:
    index = VectorIndex(MODEL, DIM)
    index.add([1], vectors(1), model_id=MODEL)
    with pytest.raises(IndexModelMismatch) as raised:
        index.add([2], vectors(1), model_id="basic-descriptor-v1")
    assert "re-index" in raised.value.message
    assert raised.value.status_code == 409
    with pytest.raises(IndexModelMismatch):
        index.search(vectors(1), 1, model_id="basic-descriptor-v1")
    restored = VectorIndex.from_bytes(index.to_bytes())
    with pytest.raises(IndexModelMismatch):
        restored.search(vectors(1), 1, model_id="other")


def test_rejects_bad_shapes_and_ids() -> None:
    index = VectorIndex(MODEL, DIM)
    with pytest.raises(InvalidRequest):
        index.add([1], np.zeros((1, DIM + 1), np.float32), model_id=MODEL)
    with pytest.raises(InvalidRequest):
        index.add([1, 2], vectors(1), model_id=MODEL)
    with pytest.raises(InvalidRequest):
        index.add([1, 1], vectors(2), model_id=MODEL)
    with pytest.raises(InvalidRequest):
        index.search(vectors(1), 0, model_id=MODEL)
