// booking_day: a simulated morning of a Hà Nội-like one-stop center (issue 21),
// run through the real engine with a simulated clock, twice with the same
// citizens: once with 60% of them booked ahead (the rest walk in), once with
// everybody walking in. What it measures is what the citizen feels: the time
// from walking into the hall to being called.
//
// The morning: 08:00–12:00, 6 services, 30 counters (5 per service, each also
// serving a neighbour's service when its own line is empty), handling times of
// 8–15 minutes (log-normal), demand near the counters' capacity. Walk-ins come
// as they do in a real hall: a crowd at the opening, then a steady stream until
// 11:30. Booked citizens come around their slot's start (a few minutes early,
// some late, some not at all): the no-shows free their slot by the engine's
// booking_no_show, the ones later than the grace take a walk-in's place.
//
// Slot capacity is derived the way a center would set it: the booked share of
// what the service's counters handle in a slot, rounded.
#pragma once
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/booking_code.hpp"
#include "common/local_time.hpp"
#include "engine/engine.hpp"

namespace booking_day {

constexpr int64_t kMorningMs = 1'795'482'000'000;  // 2026-11-24 08:00 in Hà Nội (UTC+7), a Tuesday
constexpr int32_t kDay = 20261124;
constexpr int kOpen = 8 * 60, kClose = 12 * 60, kLastWalkIn = 11 * 60 + 30;
constexpr int kSlotMinutes = 15, kEarly = 30, kGrace = 15;

struct ServiceSpec {
    const char* code;
    const char* name_vi;
    int handle_min;
};
inline const std::vector<ServiceSpec>& services() {
    static const std::vector<ServiceSpec> s = {{"HT", "Hộ tịch", 8},  {"DD", "Đất đai", 15},   {"TP", "Tư pháp", 10},
                                               {"KD", "Kinh doanh", 12}, {"LD", "Lao động", 9}, {"XD", "Xây dựng", 14}};
    return s;
}
constexpr int kCountersPerService = 5;

// Bookings a slot of the service takes: the booked share of what its counters handle in one slot.
inline int slot_capacity(const ServiceSpec& s, double booked_share) {
    return std::max(1, static_cast<int>(std::lround(booked_share * kCountersPerService * kSlotMinutes / s.handle_min)));
}

inline engine::Center center(double booked_share) {
    engine::Center c;
    c.name = "Trung tâm Phục vụ hành chính công (mô phỏng)";
    c.level = "province";
    c.timezone = "UTC+07:00";
    c.categories = engine::default_categories();
    const auto& specs = services();
    for (size_t i = 0; i < specs.size(); ++i) {
        engine::Service s;
        s.code = s.prefix = specs[i].code;
        s.name_vi = s.name_en = specs[i].name_vi;
        s.open_minute = kOpen;
        s.close_minute = kClose;
        s.avg_handle_s = specs[i].handle_min * 60;
        if (booked_share > 0)
            s.booking = engine::BookingRules{.bookable = true, .days_ahead = 6, .slot_minutes = kSlotMinutes,
                                             .slot_capacity = slot_capacity(specs[i], booked_share), .early_minutes = kEarly,
                                             .grace_minutes = kGrace, .late_as_walk_in = true};
        c.services.push_back(s);
        for (int k = 0; k < kCountersPerService; ++k) {
            const int id = static_cast<int>(i) * kCountersPerService + k + 1;
            c.counters.push_back({id, "Quầy " + std::to_string(id), {{s.code}, {specs[(i + 1) % specs.size()].code}}});
        }
    }
    return c;
}

// One citizen of the morning, the same in both runs.
struct Citizen {
    size_t service = 0;
    bool wants_booking = false;  // books ahead in the booked run
    int slot_start = 0;          // local minute, if booked
    int64_t walk_in_ms = 0;      // ms after 08:00 when they walk in without a booking
    int64_t booked_arrival = 0;  // ms after 08:00 when a booked citizen comes; -1: never comes
    int64_t handle_ms = 0;
    bool elderly = false;
};

// The morning's citizens: demand at `load` of the counters' capacity, `booked_share` of them booking.
inline std::vector<Citizen> citizens(double booked_share, double load, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> early(-8, 7);  // minutes against the slot's start
    std::vector<Citizen> out;
    const auto& specs = services();
    for (size_t si = 0; si < specs.size(); ++si) {
        const double per_morning = load * kCountersPerService * (kClose - kOpen) / specs[si].handle_min;
        const int capacity = slot_capacity(specs[si], booked_share);
        std::map<int, int> taken;
        const double sigma = 0.47;  // log-normal with a coefficient of variation of 0.5
        std::lognormal_distribution<double> handle(std::log(specs[si].handle_min * 60'000.0) - sigma * sigma / 2, sigma);
        for (int n = 0; n < static_cast<int>(per_morning); ++n) {
            Citizen c;
            c.service = si;
            c.handle_ms = static_cast<int64_t>(handle(rng));
            c.elderly = u(rng) < 0.05;
            // Walk-ins: 40% in the crowd of the first 45 minutes, the rest until 11:30.
            const double at_min = u(rng) < 0.4 ? 45 * u(rng) : 45 + (kLastWalkIn - kOpen - 45) * u(rng);
            c.walk_in_ms = static_cast<int64_t>(at_min * 60'000);
            if (u(rng) < booked_share) {
                // The citizen picks a slot; a full one sends them to the next free one, the morning full: a walk-in.
                for (int tries = 0, slot = kOpen + kSlotMinutes * static_cast<int>(u(rng) * (kClose - kOpen - 30) / kSlotMinutes);
                     tries < 16 && !c.wants_booking; ++tries, slot = slot + kSlotMinutes >= kClose - 15 ? kOpen : slot + kSlotMinutes)
                    if (taken[slot] < capacity) ++taken[slot], c.wants_booking = true, c.slot_start = slot;
                const double show = u(rng);
                const double minute = show < 0.08   ? -1                                      // 8% never come
                                      : show < 0.13 ? c.slot_start + kGrace + 1 + 29 * u(rng)  // 5% later than the grace
                                                    : c.slot_start + std::clamp(early(rng), -25.0, 12.0);
                // Before 08:00 they wait at the door: the hall opens at 08:00 for them too.
                c.booked_arrival = minute < 0 ? -1 : std::max<int64_t>(0, static_cast<int64_t>((minute - kOpen) * 60'000));
            }
            out.push_back(c);
        }
    }
    return out;
}

inline double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// What one simulated morning gave: minutes from arrival to the call, by kind of citizen.
struct Morning {
    std::map<std::string, std::vector<double>> wait_min;  // "booked on time", "booked late", "walk-in", "all"
    int bookings = 0, checked_in = 0, on_time = 0, late = 0, no_shows = 0, refused = 0, served = 0, turned_away = 0;
    double last_call_min = 0;  // minutes after 08:00
    int max_booked_streak = 0;
};

// Runs the morning through the engine: arrivals, counters calling, starting and finishing, minute ticks.
class Simulation {
public:
    Simulation(const std::vector<Citizen>& people, bool with_bookings) : people_(people), bookings_(with_bookings) {
        const double share = with_bookings ? 0.6 : 0;
        check(engine_.handle(engine::Configure{center(share)}, at(-60 * 60'000)));
    }

    Morning run() {
        if (bookings_) book_all();
        for (size_t i = 0; i < people_.size(); ++i) {
            const Citizen& c = people_[i];
            if (c.wants_booking && c.booked_arrival < 0) continue;  // who would not come to a slot does not walk in either
            push(bookings_ && c.wants_booking ? c.booked_arrival : c.walk_in_ms, Kind::arrive, i);
        }
        for (int64_t m = 0; m <= (kClose - kOpen + 240) * 60'000LL; m += 60'000) push(m, Kind::tick, 0);
        while (!agenda_.empty()) {
            const Step s = agenda_.top();
            agenda_.pop();
            now_ = s.at;
            if (s.kind == Kind::arrive) arrive(s.who);
            else if (s.kind == Kind::finish) finish(static_cast<int>(s.who));
            else tick();
            call_free_counters();
        }
        return std::move(result_);
    }

private:
    enum class Kind { finish, arrive, tick };
    struct Step {
        int64_t at;
        Kind kind;
        size_t who;  // citizen, or counter for finish
        bool operator<(const Step& o) const { return std::tie(at, kind, who) > std::tie(o.at, o.kind, o.who); }
    };
    common::Instant at(int64_t ms_after_eight) const { return calendar_.at(kMorningMs + ms_after_eight); }
    void push(int64_t when, Kind k, size_t who) { agenda_.push({when, k, who}); }
    static void check(const engine::Outcome& out) {
        if (!out.ok()) throw std::runtime_error("booking_day: " + out.error->code + ": " + out.error->message);
    }
    static std::string hex(size_t n, size_t salt) {
        char buf[65];
        std::snprintf(buf, sizeof buf, "%032zx%032zx", salt, n);
        return buf;
    }
    static std::string code_of(size_t n) {
        const auto& alphabet = common::kBookingCodeAlphabet;
        std::string c(common::kBookingCodeLength, 'A');
        for (size_t i = c.size(); i-- > 0 && n > 0; n /= alphabet.size()) c[i] = alphabet[n % alphabet.size()];
        return c;
    }
    // Everyone who wants a booking makes it at 07:00 (the engine checks the slot and its capacity).
    void book_all() {
        for (size_t i = 0; i < people_.size(); ++i) {
            const Citizen& c = people_[i];
            if (!c.wants_booking) continue;
            engine::MakeBooking b{services()[c.service].code, kDay, c.slot_start, hex(i, 1), "Nguyễn V. A.", hex(i, 2), code_of(i + 1), "public"};
            const auto out = engine_.handle(b, at(-60 * 60'000));
            if (!out.ok()) {
                ++result_.refused;
                continue;
            }
            booking_of_[i] = std::get<engine::BookingMade>(out.events.back().body).booking.id;
            ++result_.bookings;
        }
    }
    void arrive(size_t who) {
        const Citizen& c = people_[who];
        const std::string category = c.elderly ? "elderly" : "normal";
        engine::Outcome out;
        auto booking = booking_of_.find(who);
        if (booking != booking_of_.end()) out = engine_.handle(engine::CheckIn{booking->second, category, "kiosk:1", ""}, at(now_));
        else out = engine_.handle(engine::IssueTicket{services()[c.service].code, category, "kiosk:1"}, at(now_));
        count_no_shows(out);
        if (!out.ok()) {  // after closing, or the booking already a no-show: gone home
            ++result_.turned_away;
            return;
        }
        for (const auto& e : out.events) {
            if (const auto* t = std::get_if<engine::TicketIssued>(&e.body)) ticket_of_[t->ticket.id] = {who, now_};
            if (const auto* in = std::get_if<engine::BookingCheckedIn>(&e.body)) {
                ++result_.checked_in;
                in->on_time ? ++result_.on_time : ++result_.late;
                kind_of_[who] = in->on_time ? "booked on time" : "booked late";
            }
        }
        if (!kind_of_.count(who)) kind_of_[who] = "walk-in";
    }
    void tick() { count_no_shows(engine_.handle(engine::Tick{}, at(now_))); }
    void count_no_shows(const engine::Outcome& out) {
        for (const auto& e : out.events)
            if (std::holds_alternative<engine::BookingNoShow>(e.body)) ++result_.no_shows;
    }
    void call_free_counters() {
        for (int k = 1; k <= static_cast<int>(services().size()) * kCountersPerService; ++k) {
            if (busy_.count(k)) continue;
            const auto out = engine_.handle(engine::CallNext{k}, at(now_));
            count_no_shows(out);
            for (const auto& e : out.events)
                if (const auto* called = std::get_if<engine::TicketCalled>(&e.body)) called_here(k, *called);
        }
    }
    void called_here(int counter, const engine::TicketCalled& called) {
        const auto [who, since] = ticket_of_.at(called.ticket);
        const double wait = static_cast<double>(now_ - since) / 60'000;
        result_.wait_min[kind_of_[who]].push_back(wait);
        if (kind_of_[who] == "booked on time") {  // how long after the slot's start (coming early is their choice)
            const int64_t slot_ms = (people_[who].slot_start - kOpen) * 60'000LL;
            result_.wait_min["booked, after the slot's start"].push_back(static_cast<double>(std::max<int64_t>(0, now_ - std::max(since, slot_ms))) / 60'000);
        }
        result_.wait_min["all"].push_back(wait);
        result_.last_call_min = static_cast<double>(now_) / 60'000;
        result_.max_booked_streak = std::max(result_.max_booked_streak, called.booked_streak);
        ++result_.served;
        busy_[counter] = called.ticket;
        check(engine_.handle(engine::TicketAction{engine::Action::start, called.ticket, counter}, at(now_)));
        push(now_ + people_[who].handle_ms, Kind::finish, static_cast<size_t>(counter));
    }
    void finish(int counter) {
        check(engine_.handle(engine::TicketAction{engine::Action::finish, busy_.at(counter), counter}, at(now_)));
        busy_.erase(counter);
    }

    const std::vector<Citizen>& people_;
    bool bookings_;
    engine::Engine engine_;
    common::LocalCalendar calendar_{"UTC+07:00"};
    int64_t now_ = 0;
    std::priority_queue<Step> agenda_;
    std::map<size_t, int64_t> booking_of_;                       // citizen → booking id
    std::map<int64_t, std::pair<size_t, int64_t>> ticket_of_;    // ticket → citizen, when they took it
    std::map<size_t, std::string> kind_of_;
    std::map<int, int64_t> busy_;                                // counter → ticket in hand
    Morning result_;
};

}  // namespace booking_day
