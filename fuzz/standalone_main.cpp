// standalone_main: runs a fuzz target without libFuzzer (gcc builds, CI): every
// file of the given folders, then seeded byte mutations of each, so the normal
// test run exercises the targets. `./center fuzz` runs the real libFuzzer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> seeds;
    for (int i = 1; i < argc; ++i)
        for (const auto& f : std::filesystem::directory_iterator(argv[i])) {
            std::ifstream in(f.path(), std::ios::binary);
            seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    std::mt19937 rng(12345);
    size_t runs = 0;
    for (const auto& s : seeds) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
        ++runs;
        for (int m = 0; m < 300; ++m) {
            std::string x = s;
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits && !x.empty(); ++e) {
                const size_t at = rng() % x.size();
                switch (rng() % 4) {
                    case 0: x[at] = static_cast<char>(rng()); break;
                    case 1: x.erase(at, 1 + rng() % 8); break;
                    case 2: x.insert(at, x.substr(rng() % x.size(), rng() % 16)); break;
                    default: x[at] = "{}[]\":,\\\r\n0-e"[rng() % 14];
                }
            }
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(x.data()), x.size());
            ++runs;
        }
    }
    std::printf("%zu inputs from %zu seeds ran without a crash\n", runs, seeds.size());
    return seeds.empty() ? 1 : 0;
}
