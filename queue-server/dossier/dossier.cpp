// dossier: updates folded into dossiers, the masked public view (see dossier.hpp).
#include "dossier/dossier.hpp"

#include <algorithm>
#include <map>
#include <cstdio>
#include <sstream>

#include "common/local_time.hpp"
#include "common/csv.hpp"
#include "common/text.hpp"

namespace dossier {

extern const char* const kStatusesTsv;  // statuses.tsv, built in

using json = nlohmann::json;

namespace {

struct StatusText {
    std::string label, kiosk, english;
};

const std::map<int, StatusText>& statuses() {
    static const std::map<int, StatusText> table = [] {
        std::map<int, StatusText> t;
        std::istringstream lines(kStatusesTsv);
        for (std::string line; std::getline(lines, line);) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream cells(line);
            std::string code;
            StatusText s;
            std::getline(cells, code, '\t');
            std::getline(cells, s.label, '\t');
            std::getline(cells, s.kiosk, '\t');
            std::getline(cells, s.english);
            t[std::stoi(code)] = s;
        }
        return t;
    }();
    return table;
}

std::string text(const json& j, const char* key, size_t max) {
    const auto& v = j.at(key);
    if (!v.is_string()) throw UpdateError(std::string("'") + key + "' must be text");
    auto nfc = common::to_nfc(v.get<std::string>());
    if (!nfc) throw UpdateError(std::string("'") + key + "' is not valid UTF-8");
    if (nfc->size() > max) throw UpdateError(std::string("'") + key + "' is too long");
    return *nfc;
}

bool is_date(const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

std::optional<int64_t> parse_iso_time(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
    const std::string text(s);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5) return std::nullopt;
    size_t i = static_cast<size_t>(n);
    if (i < text.size() && text[i] == ':') {
        int m2 = 0;
        if (std::sscanf(text.c_str() + i, ":%2d%n", &sec, &m2) != 1) return std::nullopt;
        i += static_cast<size_t>(m2);
    }
    int offset_min = 0;
    if (i < text.size() && text[i] == 'Z') {
        ++i;
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        int oh = 0, om = 0, m3 = 0;
        if (std::sscanf(text.c_str() + i + 1, "%2d:%2d%n", &oh, &om, &m3) != 2) return std::nullopt;
        offset_min = (text[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i += 1 + static_cast<size_t>(m3);
    } else {
        return std::nullopt;  // a time without its offset is ambiguous
    }
    if (i != text.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    const int64_t days = common::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + sec * 1000;
}

std::vector<Update> updates_from_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (!common::is_valid_utf8(text)) throw UpdateError("the file is not valid UTF-8");
    std::vector<common::CsvRow> rows;
    try {
        rows = common::read_csv(text);
    } catch (const common::CsvError& e) {
        throw UpdateError(e.what());
    }
    if (rows.empty()) throw UpdateError("the file is empty");
    std::map<std::string, size_t> column;
    for (size_t i = 0; i < rows[0].cells.size(); ++i) column[rows[0].cells[i]] = i;
    for (const char* required : {"code", "status", "at"})
        if (!column.contains(required)) throw UpdateError(std::string("line 1: the header has no column '") + required + "'");
    std::vector<Update> out;
    for (size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = "line " + std::to_string(row.line) + ": ";
        if (row.cells.size() != rows[0].cells.size()) throw UpdateError(where + "the row has a different number of columns than the header");
        json j;
        for (const auto& [name, i] : column) {
            const std::string& cell = row.cells[i];
            if (cell.empty()) continue;
            if (name == "status") {
                j["status"] = std::atoi(cell.c_str());
            } else if (name == "at") {
                const auto at = parse_iso_time(cell);
                if (!at) throw UpdateError(where + "'at' must be ISO 8601 with an offset, like 2026-11-24T08:15:00+07:00");
                j["at"] = *at;
            } else if (name == "supplements") {
                json list = json::array();
                size_t start = 0;
                for (size_t bar; (bar = cell.find(" | ", start)) != std::string::npos; start = bar + 3) list.push_back(cell.substr(start, bar - start));
                list.push_back(cell.substr(start));
                j["supplements"] = list;
            } else {
                j[name] = cell;
            }
        }
        j["event_id"] = "csv:" + j.value("code", std::string()) + ":" + std::to_string(j.value("status", 0)) + ":" +
                        std::to_string(j.value("at", int64_t{0}));
        try {
            out.push_back(update_from_json(j));
        } catch (const UpdateError& e) {
            throw UpdateError(where + e.what());
        }
    }
    return out;
}

bool finished(int status) { return status == 3 || status == 7 || status == 8 || status == 10; }

Update update_from_json(const json& j) {
    if (!j.is_object()) throw UpdateError("an update must be a JSON object");
    static const std::vector<std::string> known = {"event_id", "code", "at", "status", "note", "procedure_code",
                                                   "procedure_name", "applicant_name", "check", "received_date",
                                                   "appointment_date", "supplements", "pickup"};
    for (const auto& [key, value] : j.items())
        if (std::find(known.begin(), known.end(), key) == known.end()) throw UpdateError("unknown field '" + key + "'");
    for (const char* required : {"event_id", "code", "at"})
        if (!j.contains(required)) throw UpdateError(std::string("'") + required + "' is missing");
    Update u;
    u.event_id = text(j, "event_id", 200);
    u.code = text(j, "code", 100);
    if (u.event_id.empty() || u.code.empty()) throw UpdateError("'event_id' and 'code' must not be empty");
    if (!j["at"].is_number_integer() || j["at"].get<int64_t>() <= 0) throw UpdateError("'at' must be milliseconds since 1970");
    u.at = j["at"].get<int64_t>();
    if (j.contains("status")) {
        if (!j["status"].is_number_integer() || !statuses().contains(j["status"].get<int>()))
            throw UpdateError("'status' must be a status code from 1 to 10");
        u.status = j["status"].get<int>();
    }
    if (j.contains("note")) u.note = text(j, "note", 2000);
    auto optional_text = [&](const char* key, std::optional<std::string>& out, size_t max) {
        if (j.contains(key)) out = text(j, key, max);
    };
    optional_text("procedure_code", u.procedure_code, 100);
    optional_text("procedure_name", u.procedure_name, 1000);
    optional_text("applicant_name", u.applicant_name, 200);
    optional_text("check", u.check, 50);
    optional_text("received_date", u.received_date, 10);
    optional_text("appointment_date", u.appointment_date, 10);
    optional_text("pickup", u.pickup, 200);
    for (const auto* d : {&u.received_date, &u.appointment_date})
        if (*d && !is_date(**d)) throw UpdateError("dates are YYYY-MM-DD");
    if (j.contains("supplements")) {
        if (!j["supplements"].is_array() || j["supplements"].size() > 100) throw UpdateError("'supplements' must be a list of texts");
        std::vector<std::string> list;
        for (const auto& s : j["supplements"]) {
            if (!s.is_string()) throw UpdateError("'supplements' must be a list of texts");
            list.push_back(common::to_nfc(s.get<std::string>()).value_or(""));
        }
        u.supplements = list;
    }
    return u;
}

namespace {

// The "updates" list of a feed body, all or nothing.
std::vector<Update> updates_of(const json& body) {
    if (!body.contains("updates") || !body["updates"].is_array()) throw UpdateError("\"updates\" must be a list");
    const json& list = body["updates"];
    if (list.size() > max_updates_per_batch)
        throw UpdateError("at most " + std::to_string(max_updates_per_batch) + " updates at a time, got " +
                          std::to_string(list.size()));
    std::vector<Update> out;
    out.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
        try {
            out.push_back(update_from_json(list[i]));
        } catch (const UpdateError& e) {
            throw UpdateError("update " + std::to_string(i + 1) + ": " + e.what() + " (nothing was applied)");
        }
    }
    return out;
}

json parse_object(std::string_view body, const std::vector<std::string>& keys) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw UpdateError("the body is not a JSON object");
    for (const auto& [key, value] : j.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) throw UpdateError("unknown field '" + key + "'");
    return j;
}

}  // namespace

std::vector<Update> parse_feed_push(std::string_view body) { return updates_of(parse_object(body, {"updates"})); }

FeedPage parse_feed_page(std::string_view body) {
    const json j = parse_object(body, {"updates", "cursor", "more"});
    FeedPage page;
    page.updates = updates_of(j);
    if (!j.contains("cursor") || !j["cursor"].is_string() || j["cursor"].get<std::string>().size() > 1000)
        throw UpdateError("\"cursor\" must be a text of at most 1,000 bytes");
    page.cursor = j["cursor"].get<std::string>();
    if (j.contains("more") && !j["more"].is_boolean()) throw UpdateError("\"more\" must be true or false");
    page.more = j.value("more", false);
    return page;
}

void apply(Dossier& d, const Update& u) {
    d.code = u.code;
    if (u.status) {
        Step step{*u.status, u.at, u.note, u.event_id};
        auto pos = std::upper_bound(d.history.begin(), d.history.end(), step,
                                    [](const Step& a, const Step& b) { return a.at < b.at; });
        d.history.insert(pos, step);
    }
    if (u.at < d.fields_at) return;  // an older message must not undo newer details
    d.fields_at = u.at;
    auto set = [](std::string& field, const std::optional<std::string>& v) {
        if (v) field = *v;
    };
    set(d.procedure_code, u.procedure_code);
    set(d.procedure_name, u.procedure_name);
    set(d.applicant_name, u.applicant_name);
    set(d.check, u.check);
    set(d.received_date, u.received_date);
    set(d.appointment_date, u.appointment_date);
    set(d.pickup, u.pickup);
    if (u.supplements) d.supplements = *u.supplements;
}

json to_json(const Dossier& d) {
    json history = json::array();
    for (const auto& s : d.history)
        history.push_back({{"status", s.status}, {"at", s.at}, {"note", s.note}, {"event_id", s.event_id}});
    return {{"code", d.code}, {"procedure_code", d.procedure_code}, {"procedure_name", d.procedure_name},
            {"applicant_name", d.applicant_name}, {"check", d.check}, {"received_date", d.received_date},
            {"appointment_date", d.appointment_date}, {"pickup", d.pickup}, {"supplements", d.supplements},
            {"history", history}, {"fields_at", d.fields_at}};
}

Dossier dossier_from_json(const json& j) {
    Dossier d;
    d.code = j.at("code");
    d.procedure_code = j.at("procedure_code");
    d.procedure_name = j.at("procedure_name");
    d.applicant_name = j.at("applicant_name");
    d.check = j.at("check");
    d.received_date = j.at("received_date");
    d.appointment_date = j.at("appointment_date");
    d.pickup = j.at("pickup");
    d.supplements = j.at("supplements").get<std::vector<std::string>>();
    d.fields_at = j.at("fields_at");
    for (const auto& s : j.at("history"))
        d.history.push_back({s.at("status"), s.at("at"), s.at("note"), s.at("event_id")});
    return d;
}

std::string normal_code(std::string_view code) { return common::to_nfc(code).value_or(std::string(code)); }

json public_view(const Dossier& d, const std::string& today) {
    auto status_json = [](int code) {
        const auto it = statuses().find(code);
        if (it == statuses().end()) return json{{"code", code}};
        return json{{"code", code}, {"label", it->second.label}, {"text", it->second.kiosk}, {"english", it->second.english}};
    };
    json timeline = json::array();
    for (const auto& s : d.history) {
        json step = status_json(s.status);
        step["at"] = s.at;
        if (!s.note.empty()) step["note"] = s.note;
        timeline.push_back(step);
    }
    const bool overdue = !finished(d.status()) && d.status() != 9 && !d.appointment_date.empty() && d.appointment_date < today;
    return {{"code", d.code}, {"procedure", {{"code", d.procedure_code}, {"name", d.procedure_name}}},
            {"applicant", mask_name(d.applicant_name)}, {"status", status_json(d.status())}, {"overdue", overdue},
            {"received_date", d.received_date}, {"appointment_date", d.appointment_date}, {"pickup", d.pickup},
            {"supplements", d.supplements}, {"timeline", timeline}};
}

}  // namespace dossier
