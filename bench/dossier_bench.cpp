// dossier_bench: the dossier store at the size of a province (1,000,000 dossiers):
// feed ingest rate with durable commits (batches as the push feed takes them),
// and the kiosk's lookup latency. Prints figures; passes or fails on nothing.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "dossier/dossier.hpp"
#include "dossier/dossier_store.hpp"

using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string code_of(size_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "H55.26-%02zu%02zu-%05zu", 1 + i / 100000 % 12, 1 + i / 10000 % 28, i % 100000);
    return buf;
}

dossier::Update received(size_t i, int64_t at) {
    dossier::Update u;
    u.event_id = "r" + std::to_string(i);
    u.code = code_of(i);
    u.at = at;
    u.status = 2;
    u.procedure_code = "1.001193";
    u.procedure_name = "Đăng ký khai sinh";
    u.applicant_name = "Nguyễn Văn An";
    u.check = std::to_string(1000 + i % 9000);
    u.received_date = "2026-11-20";
    u.appointment_date = "2026-11-27";
    u.pickup = "Quầy số 1";
    return u;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"dossier_bench: dossier ingest rate and lookup latency"};
    size_t total = 1'000'000, batch = 5000;
    cli.add_option("--dossiers", total)->capture_default_str();
    cli.add_option("--batch", batch, "updates per durable transaction (a push request)")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    const auto dir = std::filesystem::temp_directory_path() / ("dossier-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        dossier::Store store((dir / "dossiers.db").string(), (dir / "dossier-key").string());
        std::printf("dossier_bench: %zu dossiers, batches of %zu updates, WAL + synchronous=FULL\n", total, batch);
        // New dossiers (each a first update).
        auto t0 = Clock::now();
        std::vector<dossier::Update> updates;
        for (size_t i = 0; i < total; ++i) {
            updates.push_back(received(i, 1'795'000'000'000 + static_cast<int64_t>(i)));
            if (updates.size() == batch || i + 1 == total) {
                store.ingest(updates);
                updates.clear();
            }
        }
        double ms = ms_since(t0);
        std::printf("  ingest, new dossiers:       %8.0f updates/s (%zu in %.1f s)\n", total / (ms / 1000), total, ms / 1000);
        // Status changes to existing dossiers, in random order (read, fold, write).
        std::mt19937_64 rng(42);
        const size_t changes = std::min<size_t>(total, 200'000);
        t0 = Clock::now();
        for (size_t k = 0; k < changes; ++k) {
            const size_t i = rng() % total;
            dossier::Update u;
            u.event_id = "s" + std::to_string(k);
            u.code = code_of(i);
            u.at = 1'796'000'000'000 + static_cast<int64_t>(k);
            u.status = 4;
            updates.push_back(u);
            if (updates.size() == batch || k + 1 == changes) {
                store.ingest(updates);
                updates.clear();
            }
        }
        ms = ms_since(t0);
        std::printf("  ingest, status changes:     %8.0f updates/s (%zu in %.1f s)\n", changes / (ms / 1000), changes, ms / 1000);
        // The same batch again: every update a duplicate.
        for (size_t i = 0; i < batch; ++i) updates.push_back(received(i, 1));
        t0 = Clock::now();
        const auto again = store.ingest(updates);
        ms = ms_since(t0);
        std::printf("  ingest, replayed batch:     %8.0f updates/s (%d duplicates skipped)\n", batch / (ms / 1000), again.duplicates);

        // Lookups: find + the kiosk's view, random codes, a tenth unknown.
        std::vector<double> lookup;
        for (int k = 0; k < 20'000; ++k) {
            const size_t i = rng() % (total + total / 10);
            t0 = Clock::now();
            const auto d = store.find(code_of(i));
            if (d) (void)dossier::public_view(*d, "2026-11-24");
            lookup.push_back(ms_since(t0));
        }
        std::sort(lookup.begin(), lookup.end());
        std::printf("  lookup (find + kiosk view): p50 %.3f ms  p99 %.3f ms  max %.3f ms (n=%zu)\n",
                    lookup[lookup.size() / 2], lookup[lookup.size() * 99 / 100], lookup.back(), lookup.size());
        std::printf("  database: %.0f MiB\n", static_cast<double>(std::filesystem::file_size(dir / "dossiers.db")) / (1 << 20));
    }
    std::filesystem::remove_all(dir);
}
