// config_file: TOML center config -> engine::Center (see config_file.hpp).
#include "config_file.hpp"

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "codec.hpp"
#include "common/json_reader.hpp"

namespace api {

extern const char* const kDemoCenterToml;  // generated from assets/demo-center.toml

namespace {

using common::JsonReader;
using json = nlohmann::json;

json toml_to_json(const toml::table& t) {
    std::ostringstream out;
    out << toml::json_formatter{t};
    return json::parse(out.str());
}

}  // namespace

CenterConfig parse_config(const std::string& text, const std::string& source) {
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw ConfigError(source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                          std::string(e.description()));
    }
    try {
        const json j = toml_to_json(table);
        JsonReader top(j, source, {"center", "policy", "services", "counters", "categories", "security"});
        json center = top.raw("center");
        for (const char* key : {"policy", "services", "counters", "categories"})
            if (top.has(key)) center[key] = top.raw(key);
        CenterConfig config;
        config.center = engine::center_from_json(center);
        if (top.has("security")) {
            JsonReader sec(top.raw("security"), "security", {"password_ops", "password_memory_kib"});
            config.password_cost.ops = sec.get<unsigned>("password_ops", 2);
            config.password_cost.mem_bytes = size_t{sec.get<unsigned>("password_memory_kib", 19 * 1024)} * 1024;
            if (config.password_cost.ops < 1 || config.password_cost.mem_bytes < 8 * 1024)
                throw ConfigError(source + ": security: password_ops >= 1 and password_memory_kib >= 8");
        }
        if (auto problem = engine::validate(config.center)) throw ConfigError(source + ": " + *problem);
        return config;
    } catch (const common::FieldError& e) {
        throw ConfigError(source + ": " + e.what());
    } catch (const json::exception& e) {
        throw ConfigError(source + ": " + e.what());
    }
}

CenterConfig load_config_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file.string());
}

CenterConfig demo_config() { return parse_config(kDemoCenterToml, "demo-center.toml"); }

}  // namespace api
