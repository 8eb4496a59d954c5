"""A FAISS inner-product index over L2-normalised vectors, tied to the embedder that made them."""

from __future__ import annotations

import json
import struct
import threading
from typing import Any, Literal

import faiss
import numpy as np
import numpy.typing as npt

from layerminder.errors import Conflict, InvalidRequest

# faiss-cpu's default (128000 queries) keeps batched flat search on its own loop; from a few
# queries on, one BLAS matrix product is several times faster (8-12x measured for 32 queries).
faiss.cvar.distance_compute_blas_threshold = 16

IndexKind = Literal["flat", "hnsw"]
Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]

_MAGIC = b"LMVI\x01"
# HNSW cannot delete in place: removed ids are filtered at search time until they are this share
# of the graph, then the graph is rebuilt from the vectors it stores.
_REBUILD_SHARE = 0.1


class IndexModelMismatch(Conflict):
    """Vectors from one embedder were offered to an index built by another."""

    def __init__(self, index_model_id: str, offered_model_id: str) -> None:
        super().__init__(
            f"the reference library was indexed with {index_model_id!r} but the embedder is "
            f"{offered_model_id!r}: re-index the library (`layerminder library reindex`)"
        )
        self.index_model_id = index_model_id
        self.offered_model_id = offered_model_id


class VectorIndex:
    """Exact search (`IndexIDMap(IndexFlatIP)`) below `hnsw_threshold` vectors, HNSW above.

    Ids are the caller's int64 keys. `add` replaces vectors whose ids are already there. Blocking
    and guarded by one lock; callers run it in a thread pool.
    """

    def __init__(
        self,
        model_id: str,
        dim: int,
        *,
        hnsw_threshold: int = 50_000,
        hnsw_m: int = 32,
        ef_construction: int = 80,
        # 64 gave recall@5 0.936 at 1M clustered vectors (bench/search.py): under the 0.95 target.
        ef_search: int = 128,
    ) -> None:
        self.model_id = model_id
        self.dim = dim
        self.hnsw_threshold = hnsw_threshold
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self._lock = threading.RLock()
        self._index: Any = self._new_flat()
        self._removed: set[int] = set()

    # -- properties -------------------------------------------------------------------------

    @property
    def kind(self) -> IndexKind:
        return "hnsw" if isinstance(self._inner(), faiss.IndexHNSW) else "flat"

    def __len__(self) -> int:
        with self._lock:
            return int(self._index.ntotal) - len(self._removed)

    def ids(self) -> Ids:
        """Every id in the index, in insertion order."""
        with self._lock:
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            if self._removed:
                ids = ids[~np.isin(ids, np.fromiter(self._removed, np.int64))]
            return ids

    def check_model(self, model_id: str) -> None:
        if model_id != self.model_id:
            raise IndexModelMismatch(self.model_id, model_id)

    # -- changes ----------------------------------------------------------------------------

    def add(self, ids: npt.ArrayLike, vectors: npt.ArrayLike, *, model_id: str) -> None:
        """Add (or replace) rows; `model_id` is the embedder that made `vectors`."""
        self.check_model(model_id)
        new_ids = _as_ids(ids)
        rows = self._as_rows(vectors)
        if len(new_ids) != len(rows):
            raise InvalidRequest(f"{len(new_ids)} ids for {len(rows)} vectors")
        if len(np.unique(new_ids)) != len(new_ids):
            raise InvalidRequest("duplicate ids in one add")
        if not len(new_ids):
            return
        with self._lock:
            present = faiss.vector_to_array(self._index.id_map)
            replaced = new_ids[np.isin(new_ids, present)]
            if self.kind == "flat":
                if len(replaced):
                    self._index.remove_ids(faiss.IDSelectorBatch(replaced))
                self._index.add_with_ids(rows, new_ids)
                if self._index.ntotal >= self.hnsw_threshold:
                    self._rebuild()
            elif len(replaced):
                # A stale copy would still sit in the graph under the same id: rebuild without it.
                self._rebuild(extra_ids=new_ids, extra_rows=rows)
            else:
                self._index.add_with_ids(rows, new_ids)

    def remove(self, ids: npt.ArrayLike) -> int:
        """Remove ids that are present; returns how many were."""
        gone = _as_ids(ids)
        with self._lock:
            present = faiss.vector_to_array(self._index.id_map)
            live = np.setdiff1d(gone[np.isin(gone, present)], np.fromiter(self._removed, np.int64))
            if not len(live):
                return 0
            if self.kind == "flat":
                self._index.remove_ids(faiss.IDSelectorBatch(live))
            else:
                self._removed.update(int(i) for i in live)
                if len(self._removed) > _REBUILD_SHARE * self._index.ntotal:
                    self._rebuild()
            return len(live)

    # -- search -----------------------------------------------------------------------------

    def search(self, queries: npt.ArrayLike, k: int, *, model_id: str) -> tuple[Scores, Ids]:
        """Top-k by inner product (cosine for normalised rows): scores and ids, (n, k) each.

        Rows are padded with score -inf and id -1 where fewer than k vectors are available.
        """
        self.check_model(model_id)
        rows = self._as_rows(queries)
        if k < 1:
            raise InvalidRequest("k must be at least 1")
        with self._lock:
            n = len(rows)
            if n == 0 or self._index.ntotal == 0:
                return (
                    np.full((n, k), -np.inf, dtype=np.float32),
                    np.full((n, k), -1, dtype=np.int64),
                )
            params = None
            if self.kind == "hnsw":
                # efSearch below k would return fewer than k neighbours.
                ef = max(self.ef_search, k)
                if self._removed:
                    keep = faiss.IDSelectorNot(
                        faiss.IDSelectorBatch(np.fromiter(self._removed, np.int64))
                    )
                    params = faiss.SearchParametersHNSW(sel=keep, efSearch=ef)  # type: ignore[attr-defined]
                else:
                    params = faiss.SearchParametersHNSW(efSearch=ef)  # type: ignore[attr-defined]
            scores, ids = self._index.search(rows, k, params=params)
        missing = ids < 0
        scores[missing] = -np.inf
        return scores.astype(np.float32), ids.astype(np.int64)

    # -- persistence ------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Header (model id, dim, settings), removed ids, then `faiss.serialize_index`."""
        with self._lock:
            header = json.dumps(
                {
                    "model_id": self.model_id,
                    "dim": self.dim,
                    "kind": self.kind,
                    "hnsw_threshold": self.hnsw_threshold,
                    "hnsw_m": self.hnsw_m,
                    "ef_construction": self.ef_construction,
                    "ef_search": self.ef_search,
                }
            ).encode()
            removed = np.fromiter(sorted(self._removed), np.int64).tobytes()
            body = faiss.serialize_index(self._index).tobytes()
        return b"".join(
            [_MAGIC, struct.pack("<QQ", len(header), len(removed)), header, removed, body]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        if not data.startswith(_MAGIC):
            raise InvalidRequest("not a LayerMinder vector index")
        offset = len(_MAGIC)
        header_len, removed_len = struct.unpack_from("<QQ", data, offset)
        offset += 16
        header = json.loads(data[offset : offset + header_len])
        offset += header_len
        removed = np.frombuffer(data[offset : offset + removed_len], dtype=np.int64)
        offset += removed_len
        index = cls(
            header["model_id"],
            int(header["dim"]),
            hnsw_threshold=int(header["hnsw_threshold"]),
            hnsw_m=int(header["hnsw_m"]),
            ef_construction=int(header["ef_construction"]),
            ef_search=int(header["ef_search"]),
        )
        body = np.frombuffer(data, dtype=np.uint8, offset=offset)
        index._index = faiss.deserialize_index(body)
        index._removed = {int(i) for i in removed}
        if index._index.d != index.dim:
            raise InvalidRequest(f"index has dim {index._index.d}, header says {index.dim}")
        return index

    # -- internals --------------------------------------------------------------------------

    def _inner(self) -> Any:
        return faiss.downcast_index(self._index.index)

    def _new_flat(self) -> Any:
        return faiss.IndexIDMap(faiss.IndexFlatIP(self.dim))

    def _new_hnsw(self) -> Any:
        hnsw = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = self.ef_construction
        hnsw.hnsw.efSearch = self.ef_search
        return faiss.IndexIDMap(hnsw)

    def _stored(self) -> tuple[Ids, npt.NDArray[np.float32]]:
        """Live ids and their vectors, read back from the FAISS index itself."""
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        inner = self._inner()
        storage = inner.storage if isinstance(inner, faiss.IndexHNSW) else inner
        rows = storage.reconstruct_n(0, storage.ntotal) if storage.ntotal else self._empty()
        if self._removed:
            keep = ~np.isin(ids, np.fromiter(self._removed, np.int64))
            ids, rows = ids[keep], rows[keep]
        return ids, np.ascontiguousarray(rows, dtype=np.float32)

    def _rebuild(
        self,
        extra_ids: Ids | None = None,
        extra_rows: npt.NDArray[np.float32] | None = None,
    ) -> None:
        ids, rows = self._stored()
        if extra_ids is not None and extra_rows is not None:
            keep = ~np.isin(ids, extra_ids)
            ids = np.concatenate([ids[keep], extra_ids])
            rows = np.concatenate([rows[keep], extra_rows])
        index = self._new_hnsw() if len(ids) >= self.hnsw_threshold else self._new_flat()
        if len(ids):
            index.add_with_ids(rows, ids)
        self._index = index
        self._removed = set()

    def _empty(self) -> npt.NDArray[np.float32]:
        return np.zeros((0, self.dim), dtype=np.float32)

    def _as_rows(self, vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        if rows.ndim == 1:
            rows = rows[None, :]
        if rows.ndim != 2 or rows.shape[1] != self.dim:
            raise InvalidRequest(f"expected vectors of dim {self.dim}, got shape {rows.shape}")
        return rows


def _as_ids(ids: npt.ArrayLike) -> Ids:
    array = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
    if (array < 0).any():
        raise InvalidRequest("ids must be non-negative")
    return array
