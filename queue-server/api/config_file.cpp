// config_file: TOML center config -> engine::Center (see config_file.hpp).
#include "api/config_file.hpp"

#include <boost/asio/ip/address.hpp>

#include "engine/codec.hpp"
#include "common/json_reader.hpp"
#include "common/toml_file.hpp"

namespace api {

extern const char* const kDemoCenterToml;  // generated from assets/demo-center.toml

namespace {

using common::JsonReader;
using json = nlohmann::json;

// [dossier_feed]: where and how often to poll the dossier backend.
void read_feed_section(const json& j, CenterConfig& config) {
    JsonReader sec(j, "dossier_feed", {"pull_url", "pull_token_file", "poll_seconds", "timeout_seconds", "page_size"});
    feed::PullConfig pull;
    pull.url = sec.get<std::string>("pull_url");
    try {
        feed::parse_http_url(pull.url);
    } catch (const feed::UrlError& e) {
        throw ConfigError(std::string("dossier_feed.pull_url: ") + e.what());
    }
    const int poll = sec.get<int>("poll_seconds", 30), timeout = sec.get<int>("timeout_seconds", 15);
    pull.page_size = sec.get<int>("page_size", 500);
    if (poll < 1 || poll > 86400 || timeout < 1 || timeout > 600 || pull.page_size < 1 || pull.page_size > 5000)
        throw ConfigError("dossier_feed: poll_seconds 1-86400, timeout_seconds 1-600, page_size 1-5000");
    pull.interval = std::chrono::seconds(poll);
    pull.timeout = std::chrono::seconds(timeout);
    config.pull_token_file = sec.get<std::string>("pull_token_file", "");
    config.pull = pull;
}

// [central]'s timeouts for reading the province back (GET /api/province).
central::ReaderConfig read_province_reader(const JsonReader& sec, const std::string& conninfo) {
    central::ReaderConfig r;
    r.conninfo = conninfo;
    const int query = sec.get<int>("query_timeout_seconds", static_cast<int>(r.query_timeout.count()));
    if (query < 1 || query > 600) throw ConfigError("central.query_timeout_seconds: 1-600");
    const int connect = sec.get<int>("connect_timeout_seconds", static_cast<int>(r.connect_timeout.count()));
    if (connect < 2 || connect > 600) throw ConfigError("central.connect_timeout_seconds: 2-600 (libpq waits at least 2 s)");
    r.query_timeout = std::chrono::seconds(query);
    r.connect_timeout = std::chrono::seconds(connect);
    return r;
}

// [central]: the province's PostgreSQL, and this center's name in it.
void read_central_section(const json& j, CenterConfig& config) {
    JsonReader sec(j, "central",
                   {"conninfo", "center_code", "batch", "interval_seconds", "query_timeout_seconds", "connect_timeout_seconds"});
    central::ShipConfig c;
    c.conninfo = sec.get<std::string>("conninfo");
    c.center_code = sec.get<std::string>("center_code");
    if (c.center_code.empty() || c.center_code.size() > 64 ||
        c.center_code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos)
        throw ConfigError("central.center_code: 1-64 of a-z 0-9 - _ . (the center's stable name in the province)");
    c.batch = sec.get<int>("batch", c.batch);
    if (c.batch < 1 || c.batch > 10000) throw ConfigError("central.batch: 1-10000");
    const int interval = sec.get<int>("interval_seconds", 60);
    if (interval < 1 || interval > 86400) throw ConfigError("central.interval_seconds: 1-86400");
    c.interval = std::chrono::seconds(interval);
    c.center_name = config.center.name;
    c.level = config.center.level;
    c.timezone = config.center.timezone;
    config.central = c;
    config.province = read_province_reader(sec, c.conninfo);
}

// [phone]'s limits on the public routes, per client address and overall (api/public_limits.hpp).
void read_public_limits(const JsonReader& sec, PublicLimiter::Policy& limits) {
    auto read = [&](const char* key, int& value, int most) {
        value = sec.get<int>(key, value);
        if (value < 1 || value > most) throw ConfigError(std::string("phone.") + key + ": 1-" + std::to_string(most));
    };
    read("requests_per_minute", limits.per_address_per_minute, 60'000);
    read("request_burst", limits.per_address_burst, 10'000);
    read("requests_per_second_overall", limits.global_per_second, 1'000'000);
    limits.global_burst = limits.global_per_second;
}

// [phone]: the citizens' phone pages. Its [[phone.sender]] list belongs to the
// notify library, which reads it from phone_table: accepted here, unread.
void read_phone_section(const json& j, CenterConfig& config) {
    JsonReader sec(j, "phone", {"public_url", "late_places", "alert_ahead", "display_qr", "trusted_proxies", "requests_per_minute",
                                "request_burst", "requests_per_second_overall", "sender"});
    PhoneSettings& p = config.phone;
    p.public_url = sec.get<std::string>("public_url", "");
    if (!p.public_url.empty()) {
        const bool scheme = p.public_url.starts_with("https://") || p.public_url.starts_with("http://");
        const std::string rest = p.public_url.substr(p.public_url.find("://") + 3);
        if (!scheme || rest.empty() || rest.front() == '/' || p.public_url.back() == '/' ||
            rest.find_first_of(" ?#\"\\<>") != std::string::npos)
            throw ConfigError("phone.public_url: an http:// or https:// address without a trailing slash, e.g. \"https://hcc.example.vn\"");
    }
    p.late_places = sec.get<int>("late_places", p.late_places);
    if (p.late_places < 1 || p.late_places > 50) throw ConfigError("phone.late_places: 1-50");
    p.alert_ahead = sec.get<int>("alert_ahead", p.alert_ahead);
    if (p.alert_ahead < 1 || p.alert_ahead > 50) throw ConfigError("phone.alert_ahead: 1-50");
    p.display_qr = sec.get<bool>("display_qr", false);
    if (p.display_qr && p.public_url.empty()) throw ConfigError("phone.display_qr: needs phone.public_url (the QR's address)");
    if (sec.has("trusted_proxies")) p.trusted_proxies = JsonReader::strings(sec.raw("trusted_proxies"), "phone.trusted_proxies");
    for (auto& a : p.trusted_proxies) {
        boost::system::error_code ec;
        const auto parsed = boost::asio::ip::make_address(a, ec);
        if (ec) throw ConfigError("phone.trusted_proxies: \"" + a + "\" is not an IP address (the proxy's, as the server sees it)");
        a = parsed.to_string();
    }
    read_public_limits(sec, config.public_limits);
    config.phone_table = j;
}

CenterConfig read_center_config(const json& j) {
    JsonReader top(j, "", {"center", "policy", "services", "counters", "categories", "booking", "security", "dossier_feed",
                           "central", "phone"});
    json center = top.raw("center");
    for (const char* key : {"policy", "services", "counters", "categories", "booking"})
        if (top.has(key)) center[key] = top.raw(key);
    CenterConfig config;
    config.center = engine::center_from_json(center);
    common::require_time_zone(config.center.timezone, "center.timezone");
    if (top.has("security")) {
        JsonReader sec(top.raw("security"), "security", {"password_ops", "password_memory_kib"});
        config.password_cost.ops = sec.get<unsigned>("password_ops", 2);
        config.password_cost.mem_bytes = size_t{sec.get<unsigned>("password_memory_kib", 19 * 1024)} * 1024;
        if (config.password_cost.ops < 1 || config.password_cost.mem_bytes < 8 * 1024)
            throw ConfigError("security: password_ops >= 1 and password_memory_kib >= 8");
    }
    if (top.has("dossier_feed")) read_feed_section(top.raw("dossier_feed"), config);
    if (top.has("central")) read_central_section(top.raw("central"), config);
    if (top.has("phone")) read_phone_section(top.raw("phone"), config);
    if (auto problem = engine::validate(config.center)) throw ConfigError(*problem);
    return config;
}

}  // namespace

CenterConfig parse_config(const std::string& text, const std::string& source) {
    try {
        return common::read_toml_config(text, source, read_center_config);
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

CenterConfig load_config_file(const std::filesystem::path& file) {
    try {
        return parse_config(common::read_config_text(file), file.string());
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

CenterConfig demo_config() { return parse_config(kDemoCenterToml, "demo-center.toml"); }

}  // namespace api
