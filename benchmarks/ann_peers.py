#!/usr/bin/python3
"""The ANN peers on the same files as `./build.sh bench ann`: Debian's python3-hnswlib and python3-faiss (HNSWFlat, IVF-SQ8).

Throughput (qps) is measured with one batch call per efSearch on the given thread count, so the loop over queries runs
inside the C++ library and the figure is the library's own, not the Python binding's per-call overhead. Latency
percentiles (p50Us, p99Us) come from single-query calls and do include that overhead. indexBytes is the size of the
serialized index (vectors and links)."""
import argparse, json, os, tempfile, time
import numpy as np
import hnswlib, faiss


def read_fbin(path):
    n, d = np.fromfile(path, dtype=np.int32, count=2)
    return np.fromfile(path, dtype=np.float32, offset=8, count=int(n) * int(d)).reshape(int(n), int(d))


def read_ibin(path):
    n, d = np.fromfile(path, dtype=np.int32, count=2)
    return np.fromfile(path, dtype=np.int32, offset=8, count=int(n) * int(d)).reshape(int(n), int(d))


def recall(found, truth, k):
    return float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))


def latencies(search_one, queries):
    samples = []
    for q in queries[: min(len(queries), 1000)]:
        start = time.perf_counter()
        search_one(q[None, :])
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return samples[len(samples) // 2], samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def run_hnswlib(base, queries, truth, a):
    index = hnswlib.Index(space="l2" if a.metric == "l2" else "ip", dim=base.shape[1])
    index.init_index(max_elements=len(base), ef_construction=a.ef_construction, M=a.m, random_seed=100)
    index.set_num_threads(a.build_threads)
    start = time.perf_counter()
    index.add_items(base, np.arange(len(base)))
    build = time.perf_counter() - start
    with tempfile.NamedTemporaryFile() as f:
        index.save_index(f.name)
        size = os.path.getsize(f.name)
    index.set_num_threads(a.threads)
    results = []
    for ef in a.ef_search:
        index.set_ef(max(ef, a.k))
        index.knn_query(queries[:200], k=a.k)  # warm-up
        start = time.perf_counter()
        labels, _ = index.knn_query(queries, k=a.k)
        qps = len(queries) / (time.perf_counter() - start)
        p50, p99 = latencies(lambda q: index.knn_query(q, k=a.k), queries)
        results.append({"efSearch": ef, "recall": recall(labels, truth, a.k), "qps": qps, "p50Us": p50, "p99Us": p99})
    return {"buildSeconds": build, "indexBytes": size, "results": results}


def run_faiss(index, base, queries, truth, a, params, set_param, train):
    faiss.omp_set_num_threads(a.build_threads)
    start = time.perf_counter()
    if train is not None:
        index.train(train)
    index.add(base)
    build = time.perf_counter() - start
    size = len(faiss.serialize_index(index))
    faiss.omp_set_num_threads(a.threads)
    results = []
    for p in params:
        set_param(p)
        index.search(queries[:200], a.k)
        start = time.perf_counter()
        _, labels = index.search(queries, a.k)
        qps = len(queries) / (time.perf_counter() - start)
        p50, p99 = latencies(lambda q: index.search(q, a.k), queries)
        results.append({"param": p, "recall": recall(labels, truth, a.k), "qps": qps, "p50Us": p50, "p99Us": p99})
    return {"buildSeconds": build, "indexBytes": size, "results": results}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--metric", default="l2", choices=["l2", "ip"])
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef-search", type=lambda s: [int(x) for x in s.split(",")], default=[16, 32, 64, 128, 256])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--build-threads", type=int, default=os.cpu_count())
    p.add_argument("--nprobe", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16, 64])
    p.add_argument("--peers", type=lambda s: s.split(","), default=["hnswlib", "faiss-hnsw", "faiss-ivf-sq8"])
    p.add_argument("--json", required=True)
    a = p.parse_args()

    base, queries, truth = read_fbin(a.base), read_fbin(a.query), read_ibin(a.truth)
    out = {}
    metric = faiss.METRIC_L2 if a.metric == "l2" else faiss.METRIC_INNER_PRODUCT
    if "hnswlib" in a.peers:
        print(f"hnswlib: M={a.m} efConstruction={a.ef_construction}", flush=True)
        out["hnswlib"] = run_hnswlib(base, queries, truth, a)
    if "faiss-hnsw" in a.peers:
        print(f"faiss {faiss.__version__} HNSWFlat", flush=True)
        hnsw = faiss.IndexHNSWFlat(base.shape[1], a.m, metric)
        hnsw.hnsw.efConstruction = a.ef_construction
        out["faissHnswFlat"] = run_faiss(hnsw, base, queries, truth, a, a.ef_search, lambda ef: setattr(hnsw.hnsw, "efSearch", max(ef, a.k)), None)
    if "faiss-ivf-sq8" in a.peers:
        nlist = max(16, int(np.sqrt(len(base))))
        print(f"faiss {faiss.__version__} IVF{nlist},SQ8", flush=True)
        coarse = faiss.IndexFlat(base.shape[1], metric)
        ivf = faiss.IndexIVFScalarQuantizer(coarse, base.shape[1], nlist, faiss.ScalarQuantizer.QT_8bit, metric)
        sample = base[np.random.default_rng(1).choice(len(base), min(len(base), 40 * nlist), replace=False)]
        out["faissIvfSq8"] = run_faiss(ivf, base, queries, truth, a, a.nprobe, lambda n: setattr(ivf, "nprobe", n), sample)
    for name, r in out.items():
        print(f"{name}: build {r['buildSeconds']:.2f} s, {r['indexBytes'] / 1048576:.1f} MiB")
        for row in r["results"]:
            key = row.get("efSearch", row.get("param"))
            print(f"  {key:>6} recall {row['recall']:.4f} qps {row['qps']:9.0f} p50 {row['p50Us']:7.1f} us p99 {row['p99Us']:7.1f} us")
    with open(a.json, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
