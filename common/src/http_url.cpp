// http_url: an http:// URL split for an Asio/Beast client (see http_url.hpp).
#include "common/http_url.hpp"

#include <charconv>

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

std::string percent_encode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%') {
            int v = 0;
            if (i + 2 >= s.size()) return std::nullopt;
            auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec != std::errc{} || end != s.data() + i + 3) return std::nullopt;
            out += static_cast<char>(v);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace common
