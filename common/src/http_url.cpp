// http_url: an http:// URL split for an Asio/Beast client (see http_url.hpp).
#include "common/http_url.hpp"

namespace common {

HttpUrl parse_http_url(const std::string& url, const std::string& what, const std::string& default_port) {
    const std::string scheme = "http://";
    if (url.starts_with("https://"))
        throw UrlError("https is not supported for " + what + "; reach the server over http on a trusted network or through a TLS tunnel");
    if (!url.starts_with(scheme)) throw UrlError(what + " must start with http://, got '" + url.substr(0, 100) + "'");
    const std::string rest = url.substr(scheme.size());
    const auto slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    HttpUrl out;
    out.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (out.target.front() == '?') out.target = "/" + out.target;
    if (authority.empty() || authority.find('@') != std::string::npos)
        throw UrlError(what + " needs a host (and no user:password@; use the token)");
    out.port = default_port;
    const auto colon = authority.rfind(':');
    const bool bracketed = authority.front() == '[';
    if (colon != std::string::npos && (!bracketed || authority[colon - 1] == ']')) {
        out.port = authority.substr(colon + 1);
        authority = authority.substr(0, colon);
        if (out.port.empty() || out.port.size() > 5 || out.port.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(out.port) == 0 || std::stoi(out.port) > 65535)
            throw UrlError(what + "'s port must be a number from 1 to 65535");
    }
    if (bracketed) {
        if (authority.size() < 3 || authority.back() != ']') throw UrlError(what + "'s [IPv6] host is not closed");
        authority = authority.substr(1, authority.size() - 2);
    }
    out.host = authority;
    for (char c : out.target)
        if (static_cast<unsigned char>(c) <= ' ') throw UrlError(what + " must not hold spaces or control characters");
    return out;
}

}  // namespace common
