// metrics: the server's figures in the Prometheus text format (GET /metrics), so
// a center's IT person charts and alerts on them with the usual tools: tickets
// issued, who waits where, how long a call takes to become durable, how long
// the disk takes to commit, who is connected, and the kiosks' printers.
//
// Why counted here and not read from the database: a scrape every 15 s must
// cost the event loop nothing it can feel, so every figure is a number already
// in memory (counters bumped as durable events go out, the engine's state).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace api {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Counts of observations at or under each bound (seconds), their sum and count.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}
    void observe(double value);
    // Already-bucketed counts (the store's commit times): bucket i holds those <= bounds[i], the last those above all.
    static Histogram from_buckets(std::vector<double> bounds, const std::vector<uint64_t>& buckets, double sum);

    const std::vector<double>& bounds() const { return bounds_; }
    const std::vector<uint64_t>& counts() const { return counts_; }  // not cumulative
    uint64_t count() const { return count_; }
    double sum() const { return sum_; }

private:
    std::vector<double> bounds_;
    std::vector<uint64_t> counts_;
    uint64_t count_ = 0;
    double sum_ = 0;
};

// One exposition (text format 0.0.4), written family by family.
class MetricsText {
public:
    void family(const std::string& name, const char* type, const std::string& help);
    void sample(const std::string& name, const Labels& labels, double value);
    void histogram(const std::string& name, const std::string& help, const Histogram& h);
    const std::string& text() const { return out_; }

private:
    std::string out_;
};

// Connections the transport holds now: all of them, and those of the address
// that holds the most (what a per-address cap bounds; the address itself is not
// shown, it may be a citizen's).
struct ConnectionCounts {
    size_t open = 0;
    size_t busiest_address = 0;
};

// A label value with \, " and newlines escaped.
std::string label_escape(std::string_view value);

}  // namespace api
