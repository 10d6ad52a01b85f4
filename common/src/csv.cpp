// csv: RFC 4180 reading with line numbers (see csv.hpp).
#include "common/csv.hpp"

namespace common {

std::vector<CsvRow> read_csv(std::string_view text) {
    std::vector<CsvRow> rows;
    CsvRow row{1, {}};
    std::string cell;
    bool quoted = false, any = false;
    size_t line = 1;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                cell += c;
            }
            continue;
        }
        if (c == '"' && cell.empty()) {
            quoted = any = true;
        } else if (c == ',') {
            row.cells.push_back(std::move(cell));
            cell.clear();
            any = true;
        } else if (c == '\n') {
            if (any || !cell.empty()) {
                row.cells.push_back(std::move(cell));
                rows.push_back(std::move(row));
            }
            cell.clear();
            row = CsvRow{++line, {}};
            any = false;
        } else if (c != '\r') {
            cell += c;
            any = true;
        }
    }
    if (quoted) throw CsvError("line " + std::to_string(row.line) + ": a quoted cell is never closed");
    if (any || !cell.empty()) {
        row.cells.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string csv_cell(std::string_view value) {
    std::string s(value);
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(0, "'");
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace common
