// import: a catalog file (JSON array, or CSV with a header row) into procedures,
// all or nothing. A broken file is refused with where and why ("line 7: column
// 'name' is empty"), so the catalog in use stays as it was.
//
// Checks: valid UTF-8 (text is stored NFC), no CSV line over 1 MiB, required fields
// present (code may be missing: a stable local code is made from the name),
// codes unique, numbers where numbers belong.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/procedure.hpp"

namespace catalog {

struct ImportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::vector<Procedure> parse_json_catalog(std::string_view text);
// The same checks on a list already parsed (a kiosk's copy of the server's export).
std::vector<Procedure> parse_json_catalog(const nlohmann::json& list);
// Columns: code,name,field,level,agency,processing_days,processing_time,fee,
// documents,steps,legal_basis,online_level,service; only name, field and level are
// required. List columns separate items with " | ".
std::vector<Procedure> parse_csv_catalog(std::string_view text);
// By the first non-blank character: '[' or '{' is JSON, anything else CSV.
std::vector<Procedure> parse_catalog(std::string_view text);

}  // namespace catalog
