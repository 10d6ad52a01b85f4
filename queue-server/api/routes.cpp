// routes: matching a request to the route table (see routes.hpp).
#include "api/routes.hpp"

namespace api {
namespace {

// "/api/tickets/12" → {"api", "tickets", "12"}; empty segments (double slashes) are dropped.
std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        const size_t j = std::min(path.find('/', i), path.size());
        if (j > i) out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

bool matches(std::string_view pattern, const std::vector<std::string_view>& parts, std::vector<std::string>& params) {
    const auto want = segments(pattern);
    params.clear();
    for (size_t i = 0; i < want.size(); ++i) {
        if (want[i] == "*") return true;  // the rest of the path, whatever it is
        if (i >= parts.size()) return false;
        if (want[i].front() == '{') params.emplace_back(parts[i]);
        else if (want[i] != parts[i]) return false;
    }
    return want.size() == parts.size();
}

}  // namespace

std::optional<Method> method_from_name(std::string_view name) {
    if (name == "GET") return Method::get;
    if (name == "POST") return Method::post;
    if (name == "PUT") return Method::put;
    if (name == "DELETE") return Method::del;
    return std::nullopt;
}

std::string_view method_name(Method m) {
    switch (m) {
        case Method::get: return "GET";
        case Method::post: return "POST";
        case Method::put: return "PUT";
        case Method::del: return "DELETE";
    }
    return "?";
}

RouteMatch match_route(std::string_view method_text, std::string_view target) {
    const auto method = method_from_name(method_text);
    const auto parts = segments(target.substr(0, target.find('?')));
    RouteMatch m;
    std::vector<std::string> params;
    const bool api_path = !parts.empty() && parts.front() == "api";
    for (const Route& r : route_table()) {
        const bool catch_all = r.path.ends_with("*");
        if (catch_all && api_path) continue;  // the UI's files never answer for /api/...
        if (!matches(r.path, parts, params)) continue;
        if (method && r.method == *method) {
            m.route = &r;
            m.params = std::move(params);
            return m;
        }
        // A catch-all (the UI's files) does not make every path "exists with another method".
        if (!catch_all) m.other_method = true;
    }
    return m;
}

std::map<std::string, std::string> parse_query(std::string_view target) {
    std::map<std::string, std::string> query;
    const auto q = target.find('?');
    if (q == std::string_view::npos) return query;
    const std::string_view rest = target.substr(q + 1);
    size_t k = 0;
    while (k <= rest.size()) {
        const size_t amp = std::min(rest.find('&', k), rest.size());
        const std::string_view pair = rest.substr(k, amp - k);
        const auto eq = pair.find('=');
        if (!pair.empty()) query[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
        k = amp + 1;
    }
    return query;
}

}  // namespace api
