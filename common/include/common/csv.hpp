// csv: CSV text (RFC 4180: quoted cells, doubled quotes, line breaks inside
// quotes, CRLF or LF) as rows of cells, each row with the line it starts on, so
// an import can say "line 7: ...". Written here: forty lines did not justify a
// dependency, and the line numbers are what a person fixing the file needs.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace common {

struct CsvError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CsvRow {
    size_t line = 0;
    std::vector<std::string> cells;
};

// Blank lines are skipped; throws CsvError for a quote never closed.
std::vector<CsvRow> read_csv(std::string_view text);

// One cell for writing: quoted when it holds a comma, a quote or a line break,
// and a leading = + - @ defused with an apostrophe so a spreadsheet never runs
// a formula someone typed into a note.
std::string csv_cell(std::string_view value);

}  // namespace common
