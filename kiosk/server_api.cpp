// server_api: blocking HTTP with a deadline (see server_api.hpp).
#include "kiosk/server_api.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/http_url.hpp"
#include "client/event_stream.hpp"

namespace kiosk {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string Reply::code() const {
    if (!body.is_object()) return "";
    auto it = body.find("error");
    if (it == body.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object() && it->contains("code") && (*it)["code"].is_string()) return (*it)["code"].get<std::string>();
    return "";
}

ServerApi::ServerApi(const std::string& address, std::string token, std::chrono::milliseconds timeout)
    : token_(std::move(token)), timeout_(timeout) {
    client::StreamOptions o;
    client::parse_server_address(address, o);
    host_ = o.host;
    port_ = o.port;
}

Reply ServerApi::get(const std::string& target) const { return request("GET", target, ""); }
Reply ServerApi::post(const std::string& target, const nlohmann::json& body) const { return request("POST", target, body.dump()); }

Reply ServerApi::request(const std::string& method, const std::string& target, const std::string& body) const {
    Reply reply;
    bool sent = false;
    try {
        asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(timeout_);
        asio::ip::tcp::resolver resolver(io);
        stream.connect(resolver.resolve(host_, port_));
        http::request<http::string_body> req(http::string_to_verb(method), target, 11);
        req.set(http::field::host, host_);
        if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
        if (!body.empty()) req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);
        sent = true;
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(256u << 20);  // the whole catalog
        http::read(stream, buffer, parser);
        reply.status = static_cast<int>(parser.get().result_int());
        reply.body = nlohmann::json::parse(parser.get().body(), nullptr, false);
        if (reply.body.is_discarded()) reply.body = nullptr;
        beast::error_code ignored;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    } catch (const std::exception& e) {
        reply.status = 0;
        reply.error = e.what();
        reply.maybe_applied = sent && method != "GET";
    }
    return reply;
}

}  // namespace kiosk
