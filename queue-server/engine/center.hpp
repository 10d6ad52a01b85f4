// center: how one center is set up — services, counters with service tiers,
// priority categories and the queue policy. Plain values, no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace engine {

// Booking a number ahead for a service (issue 21). Slots cut the service's
// opening hours from its opening: [open + k·slot_minutes, + slot_minutes), the
// last one ending at or before its close.
struct BookingRules {
    bool bookable = false;
    int days_ahead = 6;          // today and the next 6 days
    int slot_minutes = 15;
    int slot_capacity = 2;       // bookings a slot takes; 0: derived ("auto", Engine::slot_capacity)
    int walk_in_percent = 40;    // with a derived capacity: the share of the counters' time kept for walk-ins
    int early_minutes = 30;      // check-in opens this long before the slot starts
    int grace_minutes = 15;      // ...and is on time until this long after it
    bool late_as_walk_in = true; // later than the grace: a walk-in's place, or refused
};

// Whether the counter says, at finish, what the visit came to (issue 22): the
// procedure handled, the dossier received, the result.
enum class OutcomeRule { none, optional, required };
const char* to_string(OutcomeRule r);

// A service (dịch vụ / lĩnh vực) citizens take a number for.
struct Service {
    std::string code;          // "A": also how requests name it
    std::string name_vi;
    std::string name_en;
    std::string prefix;        // ticket prefix, "A" → A001; services may share one
    int first = 1;             // number range, inclusive
    int last = 999;
    int open_minute = 0;       // local opening hours [open, close), minutes of the day
    int close_minute = 1440;
    int daily_cap = 0;         // tickets a day, 0 = no cap
    bool wrap = false;         // at the end of the range: wrap to `first` (skipping live numbers) or refuse
    int avg_handle_s = 300;    // seed for the handling time estimate
    BookingRules booking;
    // A visit's steps after this service, in order (issue 22): finishing here puts
    // the same ticket in the first one's line, and so on ("receive → fee → result").
    std::vector<std::string> next_steps{};
    OutcomeRule outcome = OutcomeRule::none;
};

// A counter (quầy) serves services in tiers: tier 0 first, tier 1 when tier 0 is empty...
struct Counter {
    int id = 0;
    std::string name;
    std::vector<std::vector<std::string>> tiers;  // service codes per tier
    bool serves(const std::string& service) const;  // in any tier
};

// A ticket category; every category but "normal" is usually a priority one.
struct Category {
    std::string code;
    std::string name_vi;
    std::string name_en;
    bool priority = false;
};

struct Policy {
    int max_priority_streak = 2;     // priority calls in a row while normal tickets wait
    int ageing_minutes = 30;         // a normal ticket waiting this long goes before priority ones
    int no_show_after_recalls = 2;   // no-show allowed after this many recalls...
    int no_show_after_minutes = 5;   // ...or this long after the call
    int recent_calls = 10;           // calls kept for the hall board
    // A ticket going on to its visit's next step waits there from its issue time
    // (0), or as if it had come this many minutes before it finished the step, but
    // never from before its issue: ahead of new arrivals by a bounded boost.
    int step_boost_minutes = 0;
    int park_max_minutes = 30;       // a parked ticket not back by then is a no-show
};
constexpr int kMaxSteps = 5;         // services in one visit, its first included (Qmatic's bound)

// What holds for bookings of every service.
struct BookingPolicy {
    int per_service_per_day = 1;   // live bookings of one person, one service, one day
    int per_day = 2;               // ...of one person, one day, all services
    int max_booked_streak = 3;     // booked calls in a row at a counter while walk-ins wait
    // Walk-in numbers at the kiosks only for a scanned chip ID card, and counted with
    // the bookings in the limits above (Hà Nội's rule); off: the card is optional, and
    // a walk-in number taken with one still counts.
    bool walk_in_identity = false;
    std::vector<int> open_weekdays = {1, 2, 3, 4, 5};  // 0 = Sunday … 6 = Saturday
    std::vector<int32_t> closed_days;                  // holidays, yyyymmdd
};

struct Center {
    std::string name;
    std::string level;                      // "province", "commune", or any hall type: data, not a closed set
    std::string timezone = "Asia/Ho_Chi_Minh";
    std::vector<Service> services;
    std::vector<Counter> counters;
    std::vector<Category> categories;
    Policy policy;
    BookingPolicy booking;

    const Service* service(const std::string& code) const;
    const Counter* counter(int id) const;
    const Category* category(const std::string& code) const;
};

// The default categories: normal plus those Vietnamese law gives priority.
std::vector<Category> default_categories();

// Empty when the center is usable; otherwise the first problem in plain words.
std::optional<std::string> validate(const Center& center);

// Ticket number text: prefix + number padded to the width of the range's end ("A" 12 of 999 → "A012").
std::string format_number(const Service& service, int number);

}  // namespace engine
