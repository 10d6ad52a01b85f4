// booking_bench: numbers booked ahead (issue 21), in two parts. Prints figures,
// asserts nothing.
//
// 1. The moment booking opens, against a real server process: 2,000 citizens
//    book a slot of next week through the public API, each from their own
//    address, within --burst-seconds (600: the issue's 10 minutes), while the
//    normal load of a 30-counter hall runs (kiosks issuing, counters calling,
//    displays on the stream). Each citizen does what the phone page does: reads
//    the day's free slots, asks for a code, reads it from the text message (the
//    server's file sender, DATA/messages.jsonl), books; a full slot sends them
//    back to the list. Some mistype the code, some try a second number for the
//    same service and day: the refusals are counted by reason. Printed: p50/p99
//    of each request and of a citizen's whole booking, the refusals, and the
//    hall's call-next p99 beside a run of the same length without the burst.
// 2. A simulated morning of a Hà Nội-like center (bench/booking_day.hpp), the
//    real engine on a simulated clock: 60% booked and 40% walking in, against
//    the same citizens all walking in: wait p50/p90 of booked and walk-in
//    citizens, and how the booked ones showed up.
//
// Vietnamese: đo tải lúc mở đặt lịch (2.000 lượt đặt trong 10 phút) và mô phỏng
// một buổi sáng 60% đặt trước, 40% đến trực tiếp; chỉ in số đo.
#include <CLI/CLI.hpp>

#include <future>
#include <iostream>
#include <optional>
#include <regex>

#include "booking_day.hpp"
#include "load.hpp"

namespace {

namespace asio = load::asio;
namespace http = load::http;
using load::json;
namespace fs = std::filesystem;

// Citizen i's phone: a number whose masked form (09*****123, as the file sender
// writes it) is theirs alone, and their own address (the load's clients are on 127.1.x.y).
std::string phone_of(size_t i) {
    static const char* prefixes[] = {"09", "08", "07", "03", "05"};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s12345%03zu", prefixes[i / 1000 % 5], i % 1000);
    return buf;
}
std::string masked(const std::string& phone) { return phone.substr(0, 2) + "*****" + phone.substr(7); }
std::string address_of(size_t i) { return "127.3." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1); }

// The codes the server texted, read from its file sender as they come (by masked phone).
class Inbox {
public:
    explicit Inbox(fs::path file) : file_(std::move(file)) {}
    std::optional<std::string> code_for(const std::string& phone) {
        if (const double now = load::now_ms(); now - read_at_ >= 2) read_at_ = now, read_new();  // many wait at once: one read
        auto c = codes_.find(masked(phone));
        if (c == codes_.end()) return std::nullopt;
        std::string code = c->second;
        codes_.erase(c);
        return code;
    }

private:
    void read_new() {
        std::ifstream in(file_);
        in.seekg(offset_);
        std::string line;
        static const std::regex six("([0-9]{6})");
        while (std::getline(in, line) && !in.eof()) {  // a line without its newline yet is read next time
            offset_ += static_cast<std::streamoff>(line.size() + 1);
            const json j = json::parse(line);
            std::smatch m;
            const std::string text = j.value("text", "");
            if (j.contains("phone") && std::regex_search(text, m, six)) codes_[j["phone"].get<std::string>()] = m[1];
        }
    }
    fs::path file_;
    std::streamoff offset_ = 0;
    double read_at_ = 0;
    std::map<std::string, std::string> codes_;
};

struct BookableService {
    std::string code;
    std::vector<int32_t> days;  // next week's bookable days (today left out)
};

// What the citizens saw (their thread writes it; the main thread reads it after the burst).
struct Tally {
    load::Percentiles slots, verify, book, whole;
    std::map<std::string, int> refusals;  // "409 slot_full", ...
    int booked = 0, gave_up = 0;
    void refused(int status, const std::string& body) {
        std::string code = "no answer";
        if (status) {
            const json j = json::parse(body, nullptr, false);
            code = j.is_object() && j.contains("error") ? j["error"].value("code", "?") : "?";
        }
        ++refusals[std::to_string(status) + " " + code];
    }
};

// One citizen booking from the phone page: slots → code → (a mistyped try) → book → (a second try).
class Citizen : public std::enable_shared_from_this<Citizen> {
public:
    Citizen(asio::io_context& io, uint16_t port, size_t i, const BookableService& s, Inbox& inbox, Tally& tally, std::mt19937& rng,
            std::function<void()> done)
        : io_(io), conn_(std::make_shared<load::HttpConn>(io, port, address_of(i))), phone_(phone_of(i)), service_(s),
          inbox_(inbox), tally_(tally), done_(std::move(done)) {
        day_ = s.days[rng() % s.days.size()];
        mistype_ = rng() % 100 < 5;
        second_ = rng() % 100 < 5;
        morning_ = rng() % 100 < 80;
        pick_ = rng();
    }
    void start() {
        t0_ = load::now_ms();
        list_slots();
    }

private:
    void list_slots() {
        const double t = load::now_ms();
        const std::string target = "/api/public/slots?service=" + service_.code + "&day=" + std::to_string(day_);
        conn_->request(http::verb::get, target, "", [self = shared_from_this(), t](int status, const std::string& body) {
            if (status != 200) return self->tally_.refused(status, body), self->give_up();
            self->tally_.slots.add(load::now_ms() - t);
            self->choose(json::parse(body)["slots"]);
        });
    }
    // Most want the morning (08:00–11:45); the rest take any free slot.
    void choose(const json& slots) {
        std::vector<std::string> free;
        for (const auto& s : slots) {
            const std::string start = s["start"];
            if (s["free"].get<int>() > 0 && (!morning_ || (start >= "08:00" && start < "11:45"))) free.push_back(start);
        }
        if (free.empty() && morning_) return morning_ = false, choose(slots);
        if (free.empty() || ++tries_ > 4) return give_up();
        start_ = free[pick_ % std::min<size_t>(free.size(), 6)];  // among the first few: the crowd wants the same hours
        code_.empty() ? ask_code() : book(code_);
    }
    void ask_code() {
        const double t = load::now_ms();
        conn_->request(http::verb::post, "/api/public/verify", json{{"phone", phone_}}.dump(),
                       [self = shared_from_this(), t](int status, const std::string& body) {
                           if (status != 202) return self->tally_.refused(status, body), self->give_up();
                           self->tally_.verify.add(load::now_ms() - t);
                           self->wait_code(0);
                       });
    }
    void wait_code(int waited_ms) {
        if (auto code = inbox_.code_for(phone_)) {
            code_ = *code;
            if (!mistype_) return book(code_);
            mistype_ = false;
            return book(code_ == "000000" ? "111111" : "000000");
        }
        if (waited_ms > 30'000) return ++tally_.refusals["no text message within 30 s"], give_up();
        auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(5));
        timer->async_wait([self = shared_from_this(), timer, waited_ms](boost::system::error_code) { self->wait_code(waited_ms + 5); });
    }
    void book(const std::string& code) {
        const double t = load::now_ms();
        const json body = {{"service", service_.code}, {"day", day_}, {"start", start_}, {"phone", phone_}, {"code", code},
                           {"name", "Nguyễn Văn An"}};
        conn_->request(http::verb::post, "/api/public/bookings", body.dump(), [self = shared_from_this(), t](int status, const std::string& reply) {
            self->tally_.book.add(load::now_ms() - t);
            self->booked(status, reply);
        });
    }
    void booked(int status, const std::string& reply) {
        if (status == 201 && !second_try_) {
            ++tally_.booked;
            tally_.whole.add(load::now_ms() - t0_);
            if (!second_) return finish();
            second_try_ = true, code_.clear();  // a second number for the same service and day: a new code, then the limit
            return ask_code();
        }
        tally_.refused(status, reply);
        if (second_try_) return finish();
        if (!retyped_ && reply.find("bad_code") != std::string::npos) return retyped_ = true, book(code_);  // typed again
        if (status == 409 && reply.find("slot_full") != std::string::npos) return list_slots();
        give_up();
    }
    void give_up() {
        ++tally_.gave_up;
        finish();
    }
    void finish() {
        if (auto d = std::move(done_)) done_ = nullptr, d();
    }

    asio::io_context& io_;
    std::shared_ptr<load::HttpConn> conn_;
    std::string phone_, code_, start_;
    const BookableService& service_;
    Inbox& inbox_;
    Tally& tally_;
    std::function<void()> done_;
    int32_t day_ = 0;
    bool mistype_ = false, retyped_ = false, second_ = false, second_try_ = false, morning_ = true;
    unsigned pick_ = 0;
    int tries_ = 0;
    double t0_ = 0;
};

// The citizens on their own event loop and thread, so that they do not delay the
// hall's clients (whose latencies are measured), started evenly over the window.
Tally burst(uint16_t port, const std::vector<BookableService>& services, const fs::path& messages, int citizens, double seconds) {
    asio::io_context io(1);
    Inbox inbox(messages);
    Tally tally;
    std::mt19937 rng(21);
    std::vector<std::shared_ptr<Citizen>> all;
    int finished = 0;
    const auto t0 = load::Clock::now();
    std::vector<std::shared_ptr<asio::steady_timer>> timers;
    for (int i = 0; i < citizens; ++i) {
        const auto& s = services[static_cast<size_t>(i) % services.size()];
        all.push_back(std::make_shared<Citizen>(io, port, static_cast<size_t>(i), s, inbox, tally, rng, [&finished] { ++finished; }));
        timers.push_back(std::make_shared<asio::steady_timer>(io, t0 + std::chrono::microseconds(static_cast<int64_t>(1e6 * seconds * i / citizens))));
        timers.back()->async_wait([c = all.back()](boost::system::error_code) { c->start(); });
    }
    while (finished < citizens) io.run_one();
    return tally;
}

std::vector<BookableService> bookable(asio::io_context& io, uint16_t port) {
    auto conn = std::make_shared<load::HttpConn>(io, port, address_of(9999));
    json reply;
    conn->request(http::verb::get, "/api/public/services", "", [&](int, const std::string& body) { reply = json::parse(body); });
    while (reply.is_null()) io.run_one();
    std::vector<BookableService> out;
    for (const auto& s : reply["services"]) {
        BookableService b{s["code"], {}};
        for (const auto& d : s["days"]) b.days.push_back(d.get<int32_t>());
        if (b.days.size() > 1) b.days.erase(b.days.begin());  // next week's: today is not what the crowd books
        out.push_back(b);
    }
    return out;
}

std::string center_toml(int counters, int services) {
    return load::bench_center_toml(counters, services, "\n[services.booking]\nslot_minutes = 15\ncapacity = 3\n") +
           "[phone]\n\n[[phone.sender]]\nkind = \"file\"\nname = \"bench\"\npath = \"messages.jsonl\"\n";
}

void print_burst(Tally& t, int citizens, double seconds) {
    std::printf("\n  %d citizens booking in %.0f s (%.1f/s), each from their own address:\n", citizens, seconds, citizens / seconds);
    std::printf("    GET  /api/public/slots     %s\n", t.slots.text().c_str());
    std::printf("    POST /api/public/verify    %s\n", t.verify.text().c_str());
    std::printf("    POST /api/public/bookings  %s\n", t.book.text().c_str());
    std::printf("    a citizen's whole booking (list, code, text read, book, retries): p50 %.0f ms, p99 %.0f ms\n", t.whole.at(0.5), t.whole.at(0.99));
    std::printf("    booked %d, gave up %d; refusals by reason:\n", t.booked, t.gave_up);
    for (const auto& [why, n] : t.refusals) std::printf("      %5d  %s\n", n, why.c_str());
}

int live(const std::string& binary, int citizens, double seconds, double rate) {
    const int counters = 30, displays = 10, kiosks = 6, services = 6;
    char tmpl[] = "/tmp/center-booking-XXXXXX";
    const fs::path dir = mkdtemp(tmpl);
    std::ofstream(dir / "bench.toml") << center_toml(counters, services);
    asio::io_context io(1);
    auto keep_running = asio::make_work_guard(io);
    {
        load::ServerProcess server(binary, dir / "data", dir / "bench.toml");
        const json creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
        load::Load load(io, server.port, services);
        load::FanOut fan;
        const auto boards = load::connect_clients(load, creds, counters, displays, kiosks, fan);
        const auto offered = bookable(io, server.port);
        std::printf("booking_bench, live: %d counters, %d displays, %d kiosks at %.1f tickets/s; %d bookings of next week "
                    "(%zu services, %zu days each) in %.0f s\n", counters, displays, kiosks, rate, citizens, offered.size(),
                    offered.empty() ? 0 : offered[0].days.size(), seconds);
        load.run_for(seconds, rate);
        load::Percentiles plain_call = load.call, plain_issue = load.issue;
        std::printf("  without the burst: issue %s | call-next %s\n", plain_issue.text().c_str(), plain_call.text().c_str());

        std::future<Tally> booking = std::async(std::launch::async, [&] { return burst(server.port, offered, dir / "data" / "messages.jsonl", citizens, seconds); });
        load.run_for(seconds, rate);
        Tally tally = booking.get();
        std::printf("  with the burst:    issue %s | call-next %s\n", load.issue.text().c_str(), load.call.text().c_str());
        std::printf("  call-next p99 with / without the burst: %.2fx; hall requests refused: %d\n",
                    load.call.at(0.99) / std::max(0.01, plain_call.at(0.99)), load.errors);
        print_burst(tally, citizens, seconds);
        if (auto e = server.ended(); !e.empty()) std::printf("the server %s\n", e.c_str());
    }
    fs::remove_all(dir);
    return 0;
}

void print_waits(const char* title, booking_day::Morning& m) {
    std::printf("  %s: %d called, the last at %02d:%02d; turned away %d\n", title, m.served, 8 + static_cast<int>(m.last_call_min) / 60,
                static_cast<int>(m.last_call_min) % 60, m.turned_away);
    for (const char* kind : {"booked on time", "booked, after the slot's start", "booked late", "walk-in", "all"}) {
        auto& v = m.wait_min[kind];
        if (v.empty()) continue;
        std::printf("    %-32s n=%4zu  wait p50 %5.1f min  p90 %5.1f min\n", kind, v.size(), booking_day::percentile(v, 0.5),
                    booking_day::percentile(v, 0.9));
    }
}

void simulated_morning() {
    const auto people = booking_day::citizens(0.6, 0.95, 2026);
    booking_day::Morning booked = booking_day::Simulation(people, true).run();
    booking_day::Morning walk_ins = booking_day::Simulation(people, false).run();
    std::printf("\nbooking_bench, a simulated morning 08:00–12:00: %zu citizens, 6 services, 30 counters, demand 95%% of capacity\n",
                people.size());
    std::printf("  with bookings: %d booked (%d found no slot), %d checked in (%d on time, %d later than the grace), %d no-shows "
                "(show-up %.0f%%); longest booked streak at a counter %d\n", booked.bookings, booked.refused, booked.checked_in,
                booked.on_time, booked.late, booked.no_shows, 100.0 * booked.checked_in / std::max(1, booked.bookings),
                booked.max_booked_streak);
    print_waits("60% booked, 40% walk-in", booked);
    print_waits("the same citizens, all walking in", walk_ins);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"booking_bench: 2,000 bookings the moment booking opens beside the normal load, and a simulated morning"};
    std::string binary = "build-release/queue-server/queue-server";
    int citizens = 2000;
    double seconds = 600, rate = 2;
    bool simulation_only = false;
    cli.add_option("--server", binary, "queue-server binary")->capture_default_str();
    cli.add_option("--citizens", citizens, "citizens booking in the burst")->capture_default_str();
    cli.add_option("--burst-seconds", seconds, "the burst's length (and the run without it)")->capture_default_str();
    cli.add_option("--rate", rate, "tickets per second of the hall's normal load")->capture_default_str();
    cli.add_flag("--simulation-only", simulation_only, "only the simulated morning (no server)");
    CLI11_PARSE(cli, argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    try {
        simulated_morning();
        return simulation_only ? 0 : live(binary, citizens, seconds, rate);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "booking_bench: %s\n", e.what());
        return 1;
    }
}
