// metrics: the histogram, the text format, and Core::metrics_text (see metrics.hpp).
#include "api/metrics.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "api/core.hpp"
#include "engine/codec.hpp"

namespace api {

void Histogram::observe(double value) {
    size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    if (i < counts_.size()) ++counts_[i];
    ++count_;
    sum_ += value;
}

Histogram Histogram::from_buckets(std::vector<double> bounds, const std::vector<uint64_t>& buckets, double sum) {
    Histogram h(std::move(bounds));
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (i < h.counts_.size()) h.counts_[i] = buckets[i];
        h.count_ += buckets[i];
    }
    h.sum_ = sum;
    return h;
}

std::string label_escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

namespace {

// The shortest text that reads back as the same double ("0.1", not 0.10000000000000001).
std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char b[32];
    const auto end = std::to_chars(b, b + sizeof b, v).ptr;
    return std::string(b, end);
}

std::string labels_text(const Labels& labels) {
    if (labels.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < labels.size(); ++i)
        out += (i ? "," : "") + labels[i].first + "=\"" + label_escape(labels[i].second) + "\"";
    return out + "}";
}

// The citizens' messages (notify): what waits, how old the oldest is, each webhook's lag.
void add_message_metrics(MetricsText& m, const nlohmann::json& st) {
    if (!st.is_object()) return;
    auto figure = [&](const char* key) { return st.contains(key) && st[key].is_number() ? st[key].get<double>() : 0.0; };
    m.family("center_messages_queued", "gauge", "citizens' messages not sent yet (a gateway down or slow)");
    m.sample("center_messages_queued", {}, figure("queued"));
    m.family("center_messages_sent_total", "counter", "citizens' messages a sender took since the server started");
    m.sample("center_messages_sent_total", {}, figure("sent"));
    m.family("center_messages_oldest_unsent_seconds", "gauge", "how long the oldest unsent message has waited");
    m.sample("center_messages_oldest_unsent_seconds", {}, figure("oldest_unsent_age_s"));
    m.family("center_messages_alert", "gauge", "1 when a gateway or webhook needs someone to look at it");
    m.sample("center_messages_alert", {}, st.value("alert", false) ? 1.0 : 0.0);
    if (!st.contains("webhooks") || !st["webhooks"].is_array()) return;
    m.family("center_webhook_behind", "gauge", "events of the log a webhook receiver has not taken yet");
    for (const auto& w : st["webhooks"]) m.sample("center_webhook_behind", {{"name", w.value("name", "")}}, w.value("behind", 0.0));
}

}  // namespace

void MetricsText::family(const std::string& name, const char* type, const std::string& help) {
    out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void MetricsText::sample(const std::string& name, const Labels& labels, double value) {
    out_ += name + labels_text(labels) + " " + number(value) + "\n";
}

void MetricsText::histogram(const std::string& name, const std::string& help, const Histogram& h) {
    family(name, "histogram", help);
    uint64_t below = 0;
    for (size_t i = 0; i < h.bounds().size(); ++i) {
        below += h.counts()[i];
        sample(name + "_bucket", {{"le", number(h.bounds()[i])}}, static_cast<double>(below));
    }
    sample(name + "_bucket", {{"le", "+Inf"}}, static_cast<double>(h.count()));
    sample(name + "_sum", {}, h.sum());
    sample(name + "_count", {}, static_cast<double>(h.count()));
}

// ---------------------------------------------------------------- the server's figures

void Core::count_published(const engine::Event& e) {
    if (const auto* t = std::get_if<engine::TicketIssued>(&e.body)) ++issued_total_[t->ticket.service];
    else if (std::holds_alternative<engine::TicketCalled>(e.body)) ++calls_total_;
}

Respond Core::timed_call(Respond respond) {
    return [this, start = std::chrono::steady_clock::now(), respond = std::move(respond)](Reply r) {
        call_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        respond(std::move(r));
    };
}

std::string Core::metrics_text() const {
    MetricsText m;
    m.family("center_up", "gauge", "1 while the server can write its log; 0 after a failed write (it stops)");
    m.sample("center_up", {}, durability_.failed() ? 0 : 1);
    m.family("center_event_seq", "gauge", "the last event in memory (seq) and the last durable one");
    m.sample("center_event_seq", {{"kind", "applied"}}, static_cast<double>(engine_.state().seq));
    m.sample("center_event_seq", {{"kind", "durable"}}, static_cast<double>(durable_seq()));

    const json snap = engine::snapshot_json(engine_);
    m.family("center_tickets_issued_total", "counter", "tickets issued since the server started, by service");
    for (const auto& s : snap["services"]) {
        const std::string code = s.value("code", "");
        const auto it = issued_total_.find(code);
        m.sample("center_tickets_issued_total", {{"service", code}}, static_cast<double>(it == issued_total_.end() ? 0 : it->second));
    }
    m.family("center_waiting", "gauge", "tickets waiting now, by service (priority: of them, in a priority category)");
    for (const auto& s : snap["services"]) {
        m.sample("center_waiting", {{"service", s.value("code", "")}, {"category", "all"}}, s.value("waiting", 0));
        m.sample("center_waiting", {{"service", s.value("code", "")}, {"category", "priority"}}, s.value("waiting_priority", 0));
    }
    m.family("center_estimated_wait_seconds", "gauge", "the wait a ticket taken now would be told, by service");
    for (const auto& s : snap["services"]) m.sample("center_estimated_wait_seconds", {{"service", s.value("code", "")}}, s.value("est_wait_s", 0));
    m.family("center_calls_total", "counter", "calls (call next) since the server started");
    m.sample("center_calls_total", {}, static_cast<double>(calls_total_));
    m.histogram("center_call_seconds", "a counter's call next, from the request to its durable answer", call_seconds_);

    const store::WriterStats w = writer_stats();
    std::vector<double> bounds;
    for (const uint64_t us : store::kCommitBoundsUs) bounds.push_back(static_cast<double>(us) / 1e6);
    m.histogram("center_commit_seconds", "one group commit of the event log (synchronous=FULL: mostly fsync)",
                Histogram::from_buckets(bounds, w.commit_us_buckets, static_cast<double>(w.commit_us_total) / 1e6));
    m.family("center_commit_events_total", "counter", "events made durable since the server started");
    m.sample("center_commit_events_total", {}, static_cast<double>(w.events));

    m.family("center_websocket_clients", "gauge", "event-stream clients connected (displays, kiosks, consoles, dashboards)");
    m.sample("center_websocket_clients", {}, static_cast<double>(hub_.size()));
    m.family("center_phone_followers", "gauge", "phones following a ticket's stream now (issue 20), and the tickets they follow");
    m.sample("center_phone_followers", {{"count", "phones"}}, static_cast<double>(follow_.size()));
    m.sample("center_phone_followers", {{"count", "tickets"}}, static_cast<double>(follow_.tickets()));
    m.family("center_public_refused_total", "counter", "public (phone) requests refused with 429 by the per-address or overall limit");
    m.sample("center_public_refused_total", {}, static_cast<double>(public_limits_.refused()));
    if (connection_counts_) {
        const ConnectionCounts c = connection_counts_();
        m.family("center_connections", "gauge", "TCP connections held now: all, and those of the one address holding the most");
        m.sample("center_connections", {{"scope", "all"}}, static_cast<double>(c.open));
        m.sample("center_connections", {{"scope", "busiest_address"}}, static_cast<double>(c.busiest_address));
    }
    m.family("center_work_waiting", "gauge", "blocking work waiting for a thread, by queue (logins, reports, imports)");
    for (const auto* q : {logins_.get(), reports_.get(), imports_.get()})
        if (q) m.sample("center_work_waiting", {{"queue", q->name()}}, static_cast<double>(q->waiting()));
    m.family("center_work_refused_total", "counter", "work refused with 503 busy because its queue was full, by queue");
    for (const auto* q : {logins_.get(), reports_.get(), imports_.get()})
        if (q) m.sample("center_work_refused_total", {{"queue", q->name()}}, static_cast<double>(q->refused()));
    const ServerClock::Status clock = clock_.status();
    m.family("center_clock_ahead_of_wall_seconds", "gauge", "how far the server's time is ahead of the wall clock (after the clock stepped back)");
    m.sample("center_clock_ahead_of_wall_seconds", {}, static_cast<double>(clock.ahead_of_wall_ms) / 1000.0);
    m.family("center_printer_state", "gauge", "1 for the printer state each device last reported (ok, paper_low, paper_out, offline, error)");
    for (const auto& [name, r] : device_reports_) m.sample("center_printer_state", {{"device", name}, {"state", r.printer}}, 1);
    if (central_status_) {
        const central::ShipStatus c = central_status_();
        m.family("center_central_shipped_seq", "gauge", "the central database's cursor: tickets changed up to this event are shipped");
        m.sample("center_central_shipped_seq", {}, static_cast<double>(c.shipped_seq));
        m.family("center_central_rows_total", "counter", "ticket rows shipped to the central database since the server started");
        m.sample("center_central_rows_total", {}, static_cast<double>(c.rows));
        m.family("center_central_failures_total", "counter", "failed shipping rounds (central database unreachable or refusing)");
        m.sample("center_central_failures_total", {}, static_cast<double>(c.failures));
    }
    if (options_.messages) add_message_metrics(m, options_.messages->status());
    return m.text();
}

}  // namespace api
