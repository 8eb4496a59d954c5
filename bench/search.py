"""Reference-library search: latency p50/p99 and recall@5 vs exact search at 10k, 100k (1M)."""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np

from layerminder.recommender.base import l2_normalise
from layerminder.recommender.index import VectorIndex

DIM = 512
MODEL = "bench-random:000000000000:fp32"


def clustered(n: int, centres: np.ndarray, rng: np.random.Generator, spread: float) -> np.ndarray:
    """Points around random centres, like a library of furniture families, L2-normalised.

    The centres share one common direction, as CLIP embeddings do (unrelated images still score
    around 0.4-0.5), which makes the neighbourhood graph harder to search than isotropic data.
    """
    out = np.empty((n, centres.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        stop = min(n, start + step)
        picks = rng.integers(0, len(centres), stop - start)
        noise = rng.standard_normal((stop - start, centres.shape[1]), dtype=np.float32)
        out[start:stop] = centres[picks] + spread * noise / np.sqrt(centres.shape[1])
    return l2_normalise(out)


def exact_top(data: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    flat = faiss.IndexFlatIP(data.shape[1])
    flat.add(data)
    return flat.search(queries, k)[1]


def time_single_queries(index: VectorIndex, queries: np.ndarray, k: int) -> np.ndarray:
    for query in queries[:20]:  # warm caches and OpenMP threads
        index.search(query, k, model_id=MODEL)
    times = np.empty(len(queries))
    for i, query in enumerate(queries):
        start = time.perf_counter()
        index.search(query, k, model_id=MODEL)
        times[i] = time.perf_counter() - start
    return times * 1000


def batched_flat_speedup(data: np.ndarray, queries: np.ndarray) -> tuple[float, float]:
    """ms for 32 queries on a flat index with faiss' default BLAS threshold and with ours."""
    flat = faiss.IndexFlatIP(data.shape[1])
    flat.add(data)
    ours = faiss.cvar.distance_compute_blas_threshold
    results = []
    for threshold in (128_000, ours):
        faiss.cvar.distance_compute_blas_threshold = threshold
        flat.search(queries[:32], 5)
        start = time.perf_counter()
        for _ in range(5):
            flat.search(queries[:32], 5)
        results.append((time.perf_counter() - start) / 5 * 1000)
    faiss.cvar.distance_compute_blas_threshold = ours
    return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1M (HNSW build: minutes)")
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--hnsw-threshold", type=int, default=50_000)
    parser.add_argument("--ef-search", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--clusters", type=int, default=2_000)
    parser.add_argument("--spread", type=float, default=1.0)
    parser.add_argument("--common", type=float, default=0.8)
    args = parser.parse_args()
    sizes = [*args.sizes, *([1_000_000] if args.million else [])]

    rng = np.random.default_rng(0)
    common = l2_normalise(rng.standard_normal((1, DIM), dtype=np.float32))
    centres = l2_normalise(rng.standard_normal((args.clusters, DIM), dtype=np.float32))
    centres = centres + args.common * common
    k = 5
    sample = clustered(2_000, centres, rng, args.spread)
    pairs = (sample[:1000] * sample[1000:]).sum(axis=1)
    print(f"data: {args.clusters} clusters, mean cosine of random pairs {pairs.mean():.2f}")
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads, dim {DIM}, k={k}")
    print(f"{'n':>9} {'kind':>12} {'build s':>8} {'p50 ms':>7} {'p99 ms':>7} {'recall@5':>8}")
    for n in sizes:
        data = clustered(n, centres, rng, args.spread)
        queries = clustered(args.queries, centres, rng, args.spread)
        index = VectorIndex(MODEL, DIM, hnsw_threshold=args.hnsw_threshold)
        start = time.perf_counter()
        index.add(np.arange(n, dtype=np.int64), data, model_id=MODEL)
        build = time.perf_counter() - start
        truth = exact_top(data, queries, k)
        # efSearch is read at query time: one graph, several recall/latency trade-offs.
        for ef in args.ef_search if index.kind == "hnsw" else [0]:
            index.ef_search = ef
            latencies = time_single_queries(index, queries, k)
            _, found = index.search(queries, k, model_id=MODEL)
            pairs = zip(found, truth, strict=True)
            recall = np.mean([len(set(f) & set(t)) / k for f, t in pairs])
            p50, p99 = np.percentile(latencies, [50, 99])
            kind = f"{index.kind} ef={ef}" if ef else index.kind
            print(f"{n:>9} {kind:>12} {build:>8.1f} {p50:>7.2f} {p99:>7.2f} {recall:>8.3f}")
        if n == sizes[0]:
            slow, fast = batched_flat_speedup(data, queries)
            print(
                f"{'':>9} flat batch of 32: {slow:.1f} ms with faiss' default "
                f"distance_compute_blas_threshold, {fast:.1f} ms with ours ({slow / fast:.1f}x)"
            )
        del index, data


if __name__ == "__main__":
    main()
