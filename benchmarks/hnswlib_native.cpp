// The hnswlib C++ library itself (Debian's libhnswlib-dev headers), compiled here with -O3 -march=native, on the same
// big-ann-benchmarks files and protocol as `./build.sh bench ann`: build on --build-threads threads, then single queries in a
// loop on one thread per efSearch. Prints one JSON object like ours: {buildSeconds, indexBytes, results: [...]}.
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

struct Matrix {
    int rows = 0, cols = 0;
    std::vector<char> data;
};

Matrix Read(const std::string& path, size_t item) {
    std::ifstream in(path, std::ios::binary);
    Matrix m;
    in.read(reinterpret_cast<char*>(&m.rows), 4);
    in.read(reinterpret_cast<char*>(&m.cols), 4);
    m.data.resize(static_cast<size_t>(m.rows) * m.cols * item);
    in.read(m.data.data(), static_cast<std::streamsize>(m.data.size()));
    if (!in) throw std::runtime_error("cannot read " + path);
    return m;
}

double Seconds(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string base, query, truthPath, metric = "l2", efList = "16,32,64,128,256", json;
    int k = 10, m = 16, efc = 200, buildThreads = static_cast<int>(std::thread::hardware_concurrency());
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--base") base = v;
        else if (a == "--query") query = v;
        else if (a == "--truth") truthPath = v;
        else if (a == "--k") k = std::stoi(v);
        else if (a == "--metric") metric = v;
        else if (a == "--m") m = std::stoi(v);
        else if (a == "--ef-construction") efc = std::stoi(v);
        else if (a == "--ef-search") efList = v;
        else if (a == "--build-threads") buildThreads = std::stoi(v);
        else if (a == "--json") json = v;
    }

    auto data = Read(base, 4), queries = Read(query, 4), truth = Read(truthPath, 4);
    const int d = data.cols;
    hnswlib::L2Space l2(d);
    hnswlib::InnerProductSpace ip(d);
    hnswlib::SpaceInterface<float>* space = metric == "l2" ? static_cast<hnswlib::SpaceInterface<float>*>(&l2) : &ip;
    auto* index = new hnswlib::HierarchicalNSW<float>(space, data.rows, m, efc, 100);
    const float* rows = reinterpret_cast<const float*>(data.data.data());

    auto start = std::chrono::steady_clock::now();
    std::atomic<int> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < buildThreads; t++) {
        workers.emplace_back([&] {
            for (int i; (i = next.fetch_add(1)) < data.rows;) index->addPoint(rows + static_cast<size_t>(i) * d, i);
        });
    }
    for (auto& w : workers) w.join();
    const double build = Seconds(start);

    const std::string saved = json + ".hnswlib.bin";
    index->saveIndex(saved);
    std::ifstream sizeProbe(saved, std::ios::binary | std::ios::ate);
    const long long bytes = sizeProbe.tellg();
    std::remove(saved.c_str());

    const float* q = reinterpret_cast<const float*>(queries.data.data());
    const int* t = reinterpret_cast<const int*>(truth.data.data());
    std::ostringstream out;
    out << "{\"buildSeconds\": " << build << ", \"indexBytes\": " << bytes << ", \"results\": [";
    std::stringstream efs(efList);
    std::string token;
    bool first = true;
    std::printf("hnswlib (native): build %.2f s, %.1f MiB\n", build, bytes / 1048576.0);
    while (std::getline(efs, token, ',')) {
        const int ef = std::stoi(token);
        index->setEf(std::max(ef, k));
        for (int i = 0; i < std::min(200, queries.rows); i++) index->searchKnn(q + static_cast<size_t>(i) * d, k);  // warm-up
        std::vector<double> latencies(queries.rows);
        long hits = 0;
        auto all = std::chrono::steady_clock::now();
        for (int i = 0; i < queries.rows; i++) {
            auto one = std::chrono::steady_clock::now();
            auto found = index->searchKnn(q + static_cast<size_t>(i) * d, k);
            latencies[i] = Seconds(one) * 1e6;
            std::unordered_set<int> expected(t + static_cast<size_t>(i) * truth.cols, t + static_cast<size_t>(i) * truth.cols + k);
            for (; !found.empty(); found.pop()) hits += expected.count(static_cast<int>(found.top().second));
        }
        const double qps = queries.rows / Seconds(all);
        std::sort(latencies.begin(), latencies.end());
        const double recall = static_cast<double>(hits) / (static_cast<double>(queries.rows) * k);
        std::printf("  ef %4d recall %.4f qps %9.0f p50 %7.1f us p99 %7.1f us\n", ef, recall, qps, latencies[queries.rows / 2],
                    latencies[std::min(queries.rows - 1, static_cast<int>(queries.rows * 0.99))]);
        out << (first ? "" : ", ") << "{\"efSearch\": " << ef << ", \"recall\": " << recall << ", \"qps\": " << qps
            << ", \"p50Us\": " << latencies[queries.rows / 2]
            << ", \"p99Us\": " << latencies[std::min(queries.rows - 1, static_cast<int>(queries.rows * 0.99))] << "}";
        first = false;
    }
    out << "]}";
    std::ofstream(json) << out.str() << "\n";
    delete index;
    return 0;
}
