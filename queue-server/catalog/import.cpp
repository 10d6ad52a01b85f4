// import: JSON and CSV catalog files to procedures, refused whole on any error
// (see import.hpp).
#include "catalog/import.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

#include "common/csv.hpp"
#include "common/text.hpp"
#include "catalog/fold.hpp"

namespace catalog {

using json = nlohmann::json;

namespace {

constexpr size_t max_csv_line = 1 << 20;
constexpr size_t max_procedures = 200'000;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ImportError(where + ": " + why); }

// Line checks on the raw bytes: length and UTF-8, with the line number. JSON
// has no line limit: exports are often minified into one line of megabytes.
void check_lines(std::string_view text, size_t max_line) {
    size_t line = 1, start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\n') continue;
        const std::string_view l = text.substr(start, i - start);
        if (l.size() > max_line)
            fail("line " + std::to_string(line), "longer than 1 MiB (" + std::to_string(l.size()) + " bytes); is this a CSV file?");
        if (!common::is_valid_utf8(l)) fail("line " + std::to_string(line), "not valid UTF-8 (save the file as UTF-8)");
        ++line;
        start = i + 1;
    }
}

std::string nfc(std::string_view s) { return common::to_nfc(s).value_or(std::string(s)); }

std::string trimmed(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return nfc(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

// A stable code for procedures the source lists without one (FNV-1a of the folded name).
std::string local_code(const std::string& name) {
    uint32_t h = 2166136261u;
    for (unsigned char c : fold(name).value_or(name)) h = (h ^ c) * 16777619u;
    char buf[24];
    std::snprintf(buf, sizeof buf, "local.%08x", h);
    return buf;
}

std::optional<int> parse_int(const std::string& s, const std::string& where, const char* what) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0)
        fail(where, std::string("'") + what + "' must be a whole number, got '" + s.substr(0, 40) + "'");
    return v;
}

void finish(std::vector<Procedure>& procedures, const std::vector<std::string>& where) {
    if (procedures.empty()) throw ImportError("the catalog has no procedures");
    if (procedures.size() > max_procedures) throw ImportError("more than 200,000 procedures");
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < procedures.size(); ++i) {
        Procedure& p = procedures[i];
        for (const auto* required : {&p.name, &p.field, &p.level})
            if (required->empty())
                fail(where[i], std::string(required == &p.name ? "name" : required == &p.field ? "field" : "level") + " is empty");
        if (p.code.empty()) p.code = local_code(p.name);
        auto [it, fresh] = seen.emplace(p.code, i);
        if (!fresh) fail(where[i], "duplicate code " + p.code + " (also at " + where[it->second] + ")");
    }
}

// ------------------------------------------------------------------ JSON

std::string text_field(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j[key].is_null()) return "";
    if (!j[key].is_string()) fail(where, std::string("'") + key + "' must be text");
    return trimmed(j[key].get<std::string>());
}

std::optional<int> int_field(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0 || j[key].get<int64_t>() > 100000)
        fail(where, std::string("'") + key + "' must be a whole number");
    return j[key].get<int>();
}

std::vector<std::string> text_list(const json& j, const char* key, const std::string& where) {
    std::vector<std::string> out;
    if (!j.contains(key) || j[key].is_null()) return out;
    if (!j[key].is_array()) fail(where, std::string("'") + key + "' must be a list");
    for (const auto& item : j[key]) {
        if (!item.is_string()) fail(where, std::string("'") + key + "' must be a list of texts");
        if (auto t = trimmed(item.get<std::string>()); !t.empty()) out.push_back(t);
    }
    return out;
}

Document document_from(const json& d, const std::string& where) {
    if (d.is_string()) return {trimmed(d.get<std::string>()), 0, 0, ""};
    if (!d.is_object()) fail(where, "a document is a text or {name, originals, copies, note}");
    Document doc{text_field(d, "name", where), int_field(d, "originals", where).value_or(0),
                 int_field(d, "copies", where).value_or(0), text_field(d, "note", where)};
    if (doc.name.empty()) fail(where, "a document has no name");
    return doc;
}

Procedure procedure_from(const json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "each procedure must be a JSON object");
    Procedure p;
    p.code = text_field(j, "code", where);
    p.name = text_field(j, "name", where);
    p.field = text_field(j, "field", where);
    p.level = text_field(j, "level", where);
    p.agency = text_field(j, "agency", where);
    p.processing_days = int_field(j, "processing_days", where);
    p.processing_time = text_field(j, "processing_time", where);
    p.fee = text_field(j, "fee", where);
    if (j.contains("documents") && !j["documents"].is_null()) {
        if (!j["documents"].is_array()) fail(where, "'documents' must be a list");
        for (const auto& d : j["documents"]) p.documents.push_back(document_from(d, where));
    }
    p.steps = text_list(j, "steps", where);
    p.legal_basis = text_list(j, "legal_basis", where);
    p.online_level = int_field(j, "online_level", where);
    p.service = text_field(j, "service", where);
    p.source = text_field(j, "source", where);
    return p;
}

// ------------------------------------------------------------------ CSV

std::vector<std::string> split_list(const std::string& cell) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= cell.size()) {
        const size_t bar = cell.find(" | ", start);
        const std::string item = trimmed(cell.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (!item.empty()) out.push_back(item);
        if (bar == std::string::npos) break;
        start = bar + 3;
    }
    return out;
}

}  // namespace

nlohmann::json to_json(const Procedure& p) {
    json docs = json::array();
    for (const auto& d : p.documents)
        docs.push_back({{"name", d.name}, {"originals", d.originals}, {"copies", d.copies}, {"note", d.note}});
    auto opt = [](const std::optional<int>& v) { return v ? json(*v) : json(nullptr); };
    return {{"code", p.code}, {"name", p.name}, {"field", p.field}, {"level", p.level}, {"agency", p.agency},
            {"processing_days", opt(p.processing_days)}, {"processing_time", p.processing_time}, {"fee", p.fee},
            {"documents", docs}, {"steps", p.steps}, {"legal_basis", p.legal_basis},
            {"online_level", opt(p.online_level)}, {"service", p.service}, {"source", p.source}};
}

std::vector<Procedure> parse_json_catalog(std::string_view text) {
    check_lines(text, std::string_view::npos);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        const size_t at = std::min(e.byte, text.size());
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(at), '\n');
        fail("line " + std::to_string(line), "not valid JSON");
    } catch (const json::exception& e) {  // a number too large for 64 bits (found by fuzz_catalog)
        fail("the file", std::string("not valid JSON: ") + e.what());
    }
    return parse_json_catalog(j);
}

std::vector<Procedure> parse_json_catalog(const json& j) {
    if (!j.is_array()) fail("the file", "a JSON catalog is a list of procedures: [ {...}, ... ]");
    std::vector<Procedure> out;
    std::vector<std::string> where;
    for (size_t i = 0; i < j.size(); ++i) {
        const std::string name = j[i].is_object() && j[i].contains("name") && j[i]["name"].is_string()
                                     ? " ('" + j[i]["name"].get<std::string>().substr(0, 60) + "')" : "";
        where.push_back("procedure " + std::to_string(i + 1) + name);
        out.push_back(procedure_from(j[i], where.back()));
    }
    finish(out, where);
    return out;
}

std::vector<Procedure> parse_csv_catalog(std::string_view text) {
    check_lines(text, max_csv_line);
    std::vector<common::CsvRow> rows;
    try {
        rows = common::read_csv(text);
    } catch (const common::CsvError& e) {
        throw ImportError(e.what());
    }
    if (rows.empty()) throw ImportError("the file is empty");
    std::map<std::string, size_t> column;
    for (size_t i = 0; i < rows[0].cells.size(); ++i) column[trimmed(rows[0].cells[i])] = i;
    for (const char* required : {"name", "field", "level"})
        if (!column.contains(required)) fail("line 1", std::string("the header has no column '") + required + "'");
    std::vector<Procedure> out;
    std::vector<std::string> where;
    for (size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string at = "line " + std::to_string(row.line);
        if (row.cells.size() != rows[0].cells.size())
            fail(at, std::to_string(row.cells.size()) + " columns where the header has " + std::to_string(rows[0].cells.size()));
        auto cell = [&](const char* name) { return column.contains(name) ? trimmed(row.cells[column[name]]) : ""; };
        Procedure p;
        p.code = cell("code");
        p.name = cell("name");
        p.field = cell("field");
        p.level = cell("level");
        p.agency = cell("agency");
        p.processing_days = parse_int(cell("processing_days"), at, "processing_days");
        p.processing_time = cell("processing_time");
        p.fee = cell("fee");
        for (auto& d : split_list(cell("documents"))) p.documents.push_back({std::move(d), 0, 0, ""});
        p.steps = split_list(cell("steps"));
        p.legal_basis = split_list(cell("legal_basis"));
        p.online_level = parse_int(cell("online_level"), at, "online_level");
        p.service = cell("service");
        out.push_back(std::move(p));
        where.push_back(at);
    }
    finish(out, where);
    return out;
}

std::vector<Procedure> parse_catalog(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from spreadsheet exports
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && (text[first] == '[' || text[first] == '{')) return parse_json_catalog(text);
    return parse_csv_catalog(text);
}

}  // namespace catalog
