// route_doc: the route table printed as docs/api.md's "Who may call what"
// matrix (see route_doc.hpp).
#include "api/route_doc.hpp"

#include "api/routes.hpp"

namespace api {
namespace {

std::string size_text(size_t bytes) {
    if (bytes == 0) return "—";  // the route takes no body
    if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " B";
}

std::string_view runs_text(Runs runs) {
    switch (runs) {
        case Runs::loop: return "event loop";
        case Runs::background: return "work queue";
        case Runs::stream: return "WebSocket";
    }
    return "?";
}

// A table cell cannot hold a bare '|'.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string row(const Route& r) {
    auto mark = [](bool allowed) { return allowed ? " ✓ |" : "  |"; };
    std::string line = "| " + std::string(method_name(r.method)) + " | `" + cell(r.path) + "` |" + mark(r.roles.is_anyone());
    for (int i = 0; i < kRoleCount; ++i) line += mark(r.roles.has(static_cast<Role>(i)));
    const std::string limit = r.limit == Limit::public_ ? "per address" : "—";
    return line + " " + size_text(r.body_limit) + " | " + std::string(runs_text(r.runs)) + " | " + limit + " | " + cell(r.summary) + " |\n";
}

}  // namespace

std::string route_matrix_markdown() {
    std::string head = "| method | path | anyone", rule = "| --- | --- | :-:";
    for (int i = 0; i < kRoleCount; ++i) {
        head += " | " + std::string(role_name(static_cast<Role>(i)));
        rule += " | :-:";
    }
    std::string out = head + " | body limit | runs on | rate limit | what |\n" + rule + " | --- | --- | --- | --- |\n";
    for (const Route& r : route_table()) out += row(r);
    return out;
}

}  // namespace api
