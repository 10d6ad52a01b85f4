// procedure: one administrative procedure (thủ tục hành chính) as the national
// public service portal describes it, and its JSON form for the API.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace catalog {

struct Document {
    std::string name;
    int originals = 0;  // bản chính
    int copies = 0;     // bản sao
    std::string note;   // "xuất trình", "nếu có"...
};

struct Procedure {
    std::string code;            // "1.001193"; "local.xxxxxxxx" when the source has none
    std::string name;
    std::string field;           // lĩnh vực
    std::string level;           // "tỉnh", "xã", "huyện" (data, not a closed set)
    std::string agency;          // cơ quan thực hiện
    std::optional<int> processing_days;
    std::string processing_time;  // as written, when not a number of days
    std::string fee;
    std::vector<Document> documents;
    std::vector<std::string> steps;
    std::vector<std::string> legal_basis;
    std::optional<int> online_level;  // 1..4 (dịch vụ công trực tuyến)
    std::string service;              // the queue service at this center ("A"), empty if none
    std::string source;
};

nlohmann::json to_json(const Procedure& p);

}  // namespace catalog
