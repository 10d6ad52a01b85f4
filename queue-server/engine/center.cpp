// center: lookups and validation of a center's setup (see center.hpp).
#include "center.hpp"

#include <set>

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

namespace {

std::optional<std::string> validate_service(const Service& s) {
    const std::string where = "service '" + s.code + "': ";
    if (s.code.empty() || s.code.size() > 16) return "a service code must have 1 to 16 characters";
    if (s.name_vi.empty()) return where + "name_vi is empty";
    if (s.prefix.size() > 4) return where + "prefix is longer than 4 characters";
    if (s.first < 0 || s.last < s.first || s.last > 99999) return where + "number range must satisfy 0 <= first <= last <= 99999";
    if (s.open_minute < 0 || s.close_minute > 1440 || s.open_minute >= s.close_minute)
        return where + "opening hours must satisfy 0 <= open < close <= 24:00";
    if (s.daily_cap < 0) return where + "daily_cap must not be negative";
    if (s.avg_handle_s <= 0) return where + "avg_handle_s must be positive";
    return std::nullopt;
}

std::optional<std::string> validate_counter(const Center& c, const Counter& k) {
    const std::string where = "counter " + std::to_string(k.id) + ": ";
    if (k.id <= 0) return "counter ids must be positive";
    if (k.tiers.empty()) return where + "serves no service";
    std::set<std::string> seen;
    for (const auto& tier : k.tiers) {
        if (tier.empty()) return where + "has an empty tier";
        for (const auto& code : tier) {
            if (!c.service(code)) return where + "serves unknown service '" + code + "'";
            if (!seen.insert(code).second) return where + "lists service '" + code + "' twice";
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const Center& c) {
    if (c.services.empty()) return "the center has no service";
    if (c.counters.empty()) return "the center has no counter";
    std::set<std::string> codes;
    for (const auto& s : c.services) {
        if (auto e = validate_service(s)) return e;
        if (!codes.insert(s.code).second) return "service code '" + s.code + "' is used twice";
    }
    std::set<int> ids;
    for (const auto& k : c.counters) {
        if (auto e = validate_counter(c, k)) return e;
        if (!ids.insert(k.id).second) return "counter id " + std::to_string(k.id) + " is used twice";
    }
    if (!c.category("normal")) return "the categories must include 'normal'";
    std::set<std::string> cats;
    for (const auto& k : c.categories)
        if (k.code.empty() || !cats.insert(k.code).second) return "category codes must be unique and non-empty";
    const auto& p = c.policy;
    if (p.max_priority_streak < 0 || p.ageing_minutes <= 0 || p.no_show_after_recalls < 0 ||
        p.no_show_after_minutes < 0 || p.recent_calls <= 0 || p.recent_calls > 100)
        return "policy values are out of range";
    return std::nullopt;
}

std::string format_number(const Service& s, int number) {
    const size_t width = std::to_string(s.last).size();
    std::string digits = std::to_string(number);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return s.prefix + digits;
}

}  // namespace engine
