// routes: the one table that says who may do what. Each route names its
// method, its path pattern, the roles allowed, the largest body it takes,
// where its work runs, and its handler. Core::admit asks the table before a
// byte of the body is read: the sender is known (token or feed signature) and
// allowed, and the body limit is the route's own. The transport knows no path.
//
// docs/api.md quotes this table as its role matrix, and api_routes_test walks
// every route with every role against the real server.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/auth.hpp"
#include "api/reply.hpp"
#include "api/roles.hpp"

namespace api {

class Core;

enum class Method : uint8_t { get, post, put, del };
std::optional<Method> method_from_name(std::string_view name);
std::string_view method_name(Method m);

// Where a route's work runs.
enum class Runs : uint8_t {
    loop,        // on the event loop: a small JSON body (or none), parsed there after admission
    background,  // a large raw body handed to a bounded work queue, never parsed on the loop
    stream,      // the WebSocket event stream (the only route that takes ?token=)
};

// What a handler gets: the admitted caller and the parts of the request.
struct Call {
    Request& request;                  // handlers may take its body (a large one is moved, not copied)
    const Principal* who = nullptr;    // null only on public routes called without a token
    std::vector<std::string> params;   // the {...} parts of the path, in order, still %-encoded
    std::map<std::string, std::string> query;
    json body = json::object();        // loop routes: the parsed body
};

using Handler = void (*)(Core&, const Call&, Respond);

// How often a route may be called, counted at admission (before the body).
enum class Limit : uint8_t {
    none,     // the hall's own devices and staff: never slowed down by a limiter
    public_,  // the citizens' phones: per client address and overall (public_limits.hpp), 429 past it
};

struct Route {
    Method method;
    std::string_view path;  // "/api/tickets/{id}/finish"; a last segment "*" takes the rest of the path
    RoleSet roles;
    size_t body_limit;
    Runs runs;
    Handler handler;
    std::string_view summary;  // a line for docs/api.md
    Limit limit = Limit::none;

    // A constructor, so that rows without a limit need not say so.
    Route(Method m, std::string_view p, RoleSet r, size_t body, Runs where, Handler h, std::string_view what, Limit l = Limit::none)
        : method(m), path(p), roles(r), body_limit(body), runs(where), handler(h), summary(what), limit(l) {}
};

const std::vector<Route>& route_table();

struct RouteMatch {
    const Route* route = nullptr;          // null: no route for this method and path
    bool other_method = false;             // the path exists with another method (405)
    std::vector<std::string> params;
};
RouteMatch match_route(std::string_view method, std::string_view path);

// "/api/tickets/12?x=1" → {"a": "1"}; the path is everything before '?'.
std::map<std::string, std::string> parse_query(std::string_view target);

}  // namespace api
