#!/usr/bin/python3
"""Prints the side-by-side table of one ann-compare run: throughput at recall@10 = 0.95 (linear between the two efSearch
points around it), build time and index memory, each as ours / peer."""
import json, sys


def at_recall(results, target=0.95):
    points = sorted((r["recall"], r["qps"]) for r in results)
    for (r0, q0), (r1, q1) in zip(points, points[1:]):
        if r0 <= target <= r1:
            return q0 if r1 == r0 else q0 + (q1 - q0) * (target - r0) / (r1 - r0)
    return None


def main(directory):
    ours = json.load(open(f"{directory}/ours.json"))
    native = json.load(open(f"{directory}/hnswlib-native.json"))
    peers = json.load(open(f"{directory}/peers.json"))
    rows = [("ours (HNSW over SQ8 + rerank)", ours), ("hnswlib, native build (-O3 -march=native)", native)]
    rows += [(f"{name} (Debian Python binding, batch call)", r) for name, r in peers.items()]
    base = at_recall(native["results"])
    print(f"{'index':48} {'QPS@0.95':>10} {'vs hnswlib':>10} {'build s':>8} {'MiB':>8}")
    for name, r in rows:
        qps = at_recall(r["results"])
        ratio = f"{qps / base:.2f}x" if qps and base else "-"
        print(f"{name:48} {qps or 0:10.0f} {ratio:>10} {r['buildSeconds']:8.2f} {r['indexBytes'] / 1048576:8.1f}")
    q = at_recall(ours["results"])
    summary = {
        "qpsRatioVsHnswlibNative": q / base if q and base else None,
        "buildRatioVsHnswlibNative": ours["buildSeconds"] / native["buildSeconds"],
        "memoryRatioVsFloat32Hnsw": ours["indexBytes"] / native["indexBytes"],
    }
    print(json.dumps(summary))
    json.dump(summary, open(f"{directory}/summary.json", "w"))


if __name__ == "__main__":
    main(sys.argv[1])
