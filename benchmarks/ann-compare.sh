#!/usr/bin/env bash
# ./build.sh bench ann-compare DIR N D [M] [EF_CONSTRUCTION] [QUERY_THREADS]
# One side-by-side run on the same files: ours (`bench ann`), the hnswlib C++ library compiled here with -O3 -march=native
# from Debian's libhnswlib-dev headers, and Debian's python3-hnswlib and python3-faiss (HNSWFlat, IVF-SQ8). Generates a clustered
# N x D data set with exact ground truth in DIR when it has none. Writes DIR/{ours,hnswlib-native,peers,summary}.json.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?DIR}; n=${2:?N}; d=${3:?D}; m=${4:-16}; efc=${5:-200}; threads=${6:-1}
efs=16,32,48,64,96,128,160,192,256,320,400
bench=benchmarks/ImageSocial.Benchmarks/bin/Release/net10.0/ImageSocial.Benchmarks
mkdir -p "$dir"
if [[ ! -f $dir/truth.ibin ]]; then "$bench" ann --generate "$n" "$d" --out "$dir"; fi
files=(--base "$dir/base.fbin" --query "$dir/query.fbin" --truth "$dir/truth.ibin" --k 10 --metric l2)
echo "==> ours"
"$bench" ann "${files[@]}" --m "$m" --ef-construction "$efc" --ef-search "$efs" --threads "$threads" --json "$dir/ours.json"
echo "==> hnswlib (C++, native build)"
g++ -O3 -march=native -std=c++17 -pthread -o "$dir/hnswlib-native" benchmarks/hnswlib_native.cpp
"$dir/hnswlib-native" "${files[@]}" --m "$m" --ef-construction "$efc" --ef-search "$efs" --json "$dir/hnswlib-native.json"
echo "==> python3-hnswlib and python3-faiss"
/usr/bin/python3 benchmarks/ann_peers.py "${files[@]}" --m "$m" --ef-construction "$efc" --ef-search "$efs" --threads "$threads" --json "$dir/peers.json"
echo "==> side by side"
/usr/bin/python3 benchmarks/ann_summary.py "$dir"
