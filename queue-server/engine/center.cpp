// center: lookups and validation of a center's setup (see center.hpp).
#include "engine/center.hpp"

#include <set>

#include "common/local_time.hpp"

namespace engine {

const Service* Center::service(const std::string& code) const {
    for (const auto& s : services)
        if (s.code == code) return &s;
    return nullptr;
}

const Counter* Center::counter(int id) const {
    for (const auto& c : counters)
        if (c.id == id) return &c;
    return nullptr;
}

bool Counter::serves(const std::string& code) const {
    for (const auto& tier : tiers)
        for (const auto& s : tier)
            if (s == code) return true;
    return false;
}

const Category* Center::category(const std::string& code) const {
    for (const auto& c : categories)
        if (c.code == code) return &c;
    return nullptr;
}

std::vector<Category> default_categories() {
    return {
        {"normal", "Thông thường", "Normal", false},
        {"elderly", "Người cao tuổi", "Elderly", true},
        {"disabled", "Người khuyết tật", "Person with disability", true},
        {"pregnant", "Phụ nữ mang thai, người có con nhỏ dưới 6 tuổi", "Pregnant or with a child under 6", true},
        {"merit", "Người có công với cách mạng", "Person with merit to the revolution", true},
    };
}

const char* to_string(OutcomeRule r) {
    switch (r) {
        case OutcomeRule::none: return "none";
        case OutcomeRule::optional: return "optional";
        case OutcomeRule::required: return "required";
    }
    return "?";
}

namespace {

// Messages lead with the path of the bad field ("services[1].first: ..."), as
// the config readers name it, so a config file's error can point at its line.
std::string at_service(size_t i) { return "services[" + std::to_string(i) + "]"; }
std::string at_counter(size_t i) { return "counters[" + std::to_string(i) + "]"; }

std::optional<std::string> validate_service(const Service& s, const std::string& where) {
    if (s.code.empty() || s.code.size() > 16) return where + ".code: a service code must have 1 to 16 characters";
    if (s.name_vi.empty()) return where + ".name_vi: is empty";
    if (s.prefix.size() > 4) return where + ".prefix: longer than 4 characters";
    if (s.first < 0 || s.last < s.first || s.last > 99999)
        return where + ".first: the number range must satisfy 0 <= first <= last <= 99999";
    if (s.open_minute < 0 || s.close_minute > 1440 || s.open_minute >= s.close_minute)
        return where + ".open: opening hours must satisfy 0 <= open < close <= 24:00";
    if (s.daily_cap < 0) return where + ".daily_cap: must not be negative";
    if (s.avg_handle_s <= 0) return where + ".avg_handle_s: must be positive";
    if (s.next_steps.size() + 1 > static_cast<size_t>(kMaxSteps))
        return where + ".next_steps: a visit has at most " + std::to_string(kMaxSteps) + " steps, this service's first";
    const BookingRules& b = s.booking;
    if (!b.bookable) return std::nullopt;
    if (b.days_ahead < 0 || b.days_ahead > 90) return where + ".booking.days_ahead: must be 0 to 90";
    if (b.slot_minutes < 5 || b.slot_minutes > s.close_minute - s.open_minute)
        return where + ".booking.slot_minutes: a slot is 5 minutes or more and fits in the opening hours";
    if (b.slot_capacity != 0 && (b.slot_capacity < 1 || b.slot_capacity > 1000))
        return where + ".booking.capacity: must be 1 to 1000, or \"auto\"";
    if (b.walk_in_percent < 0 || b.walk_in_percent > 90) return where + ".booking.walk_in_share: must be 0 to 0.9";
    if (b.early_minutes < 0 || b.early_minutes > 240) return where + ".booking.early_minutes: must be 0 to 240";
    if (b.grace_minutes < 0 || b.grace_minutes > b.slot_minutes + 120)
        return where + ".booking.grace_minutes: must be 0 to the slot's length plus 120";
    return std::nullopt;
}

std::optional<std::string> validate_booking(const BookingPolicy& b) {
    if (b.per_service_per_day < 1 || b.per_day < b.per_service_per_day)
        return "booking: per_service_per_day must be 1 or more, and per_day at least as many";
    if (b.max_booked_streak < 1) return "booking.max_booked_streak: must be 1 or more";
    for (const int d : b.open_weekdays)
        if (d < 0 || d > 6) return "booking.open_weekdays: days are 0 (Sunday) to 6 (Saturday)";
    for (const int32_t d : b.closed_days)
        if (!common::is_date(d)) return "booking.closed_days: " + std::to_string(d) + " is not a date (yyyymmdd)";
    return std::nullopt;
}

std::string range_text(const Service& s) { return format_number(s, s.first) + "-" + format_number(s, s.last); }

// Two services' printed numbers must never read alike. Services sharing a prefix
// share one numbering (the engine counts per prefix), so they must share its
// range too: A1-A99 beside A001-A999 would print "A01" and "A001", both called
// "A một". Prefixes where one is the other plus digits ("A" and "A1") collide
// when "A" + 4 digits meets "A1" + 3: A1000 would be two tickets.
std::optional<std::string> numbers_collide(const Service& a, const Service& b) {
    if (a.prefix == b.prefix) {
        if (a.first == b.first && a.last == b.last && a.wrap == b.wrap) return std::nullopt;
        return "shares prefix '" + a.prefix + "' with service '" + a.code + "' (" + range_text(a) +
               ") but not its number range and wrap (" + range_text(b) + "): one prefix is one numbering";
    }
    const Service& shorter = a.prefix.size() < b.prefix.size() ? a : b;
    const Service& longer = &shorter == &a ? b : a;
    if (!longer.prefix.starts_with(shorter.prefix)) return std::nullopt;
    const std::string extra = longer.prefix.substr(shorter.prefix.size());
    if (extra.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const size_t short_width = std::to_string(shorter.last).size(), long_width = std::to_string(longer.last).size();
    if (short_width != extra.size() + long_width) return std::nullopt;
    int64_t scale = 1;
    for (size_t i = 0; i < long_width; ++i) scale *= 10;
    const int64_t low = std::stoll(extra) * scale + longer.first, high = std::stoll(extra) * scale + longer.last;
    if (high < shorter.first || low > shorter.last) return std::nullopt;
    return "its numbers " + range_text(b) + " overlap those of service '" + a.code + "' (" + range_text(a) + ")";
}

std::optional<std::string> validate_counter(const Center& c, const Counter& k, const std::string& where) {
    if (k.id <= 0) return where + ".id: counter ids must be positive";
    if (k.tiers.empty()) return where + ".tiers: serves no service";
    std::set<std::string> seen;
    for (const auto& tier : k.tiers) {
        if (tier.empty()) return where + ".tiers: has an empty tier";
        for (const auto& code : tier) {
            if (!c.service(code)) return where + ".tiers: serves unknown service '" + code + "'";
            if (!seen.insert(code).second) return where + ".tiers: lists service '" + code + "' twice";
        }
    }
    return std::nullopt;
}

std::optional<std::string> validate_services(const Center& c) {
    if (c.services.empty()) return "services: the center has no service";
    std::set<std::string> codes;
    for (size_t i = 0; i < c.services.size(); ++i) {
        const Service& s = c.services[i];
        if (auto e = validate_service(s, at_service(i))) return e;
        if (!codes.insert(s.code).second) return at_service(i) + ".code: service code '" + s.code + "' is used twice";
        for (size_t j = 0; j < i; ++j)
            if (auto e = numbers_collide(c.services[j], s)) return at_service(i) + ".prefix: " + *e;
    }
    for (size_t i = 0; i < c.services.size(); ++i)
        for (const auto& step : c.services[i].next_steps)
            if (!c.service(step)) return at_service(i) + ".next_steps: names unknown service '" + step + "'";
    return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const Center& c) {
    if (auto e = validate_services(c)) return e;
    if (c.counters.empty()) return "counters: the center has no counter";
    std::set<int> ids;
    for (size_t i = 0; i < c.counters.size(); ++i) {
        const Counter& k = c.counters[i];
        if (auto e = validate_counter(c, k, at_counter(i))) return e;
        if (!ids.insert(k.id).second) return at_counter(i) + ".id: counter id " + std::to_string(k.id) + " is used twice";
    }
    if (!c.category("normal")) return "categories: must include 'normal'";
    std::set<std::string> cats;
    for (const auto& k : c.categories)
        if (k.code.empty() || !cats.insert(k.code).second) return "categories: codes must be unique and non-empty";
    const auto& p = c.policy;
    if (p.max_priority_streak < 0 || p.ageing_minutes <= 0 || p.no_show_after_recalls < 0 ||
        p.no_show_after_minutes < 0 || p.recent_calls <= 0 || p.recent_calls > 100)
        return "policy: values are out of range";
    if (p.step_boost_minutes < 0 || p.step_boost_minutes > 24 * 60) return "policy.step_boost_minutes: must be 0 to 1440";
    if (p.park_max_minutes < 1 || p.park_max_minutes > 8 * 60) return "policy.park_max_minutes: must be 1 to 480";
    return validate_booking(c.booking);
}

std::string format_number(const Service& s, int number) {
    const size_t width = std::to_string(s.last).size();
    std::string digits = std::to_string(number);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return s.prefix + digits;
}

}  // namespace engine
