// http_url: an http:// URL split into host, port and target, for the clients
// this project writes with Beast — the server's pull connector to the dossier
// backend, and the kiosk's and display's link to the queue server.
//
// Plain http only: these talk on a center's own network; a backend elsewhere is
// reached through a TLS tunnel on the server.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace common {

struct UrlError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct HttpUrl {
    std::string host, port, target;  // target: path and query, "/" at least
};

// "http://host[:port][/path][?query]", IPv6 hosts in brackets; `what` names the URL
// in errors ("the pull URL"); `default_port` when it has none. Throws UrlError.
HttpUrl parse_http_url(const std::string& url, const std::string& what = "the URL", const std::string& default_port = "80");

// A query value or path segment: letters, digits and "-_.~" kept, every other byte %XX.
std::string percent_encode(std::string_view text);
// %XX and '+' (a space) undone; nullopt for a malformed escape ("%4", "%zz").
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace common
