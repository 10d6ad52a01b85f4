// config_file: reads a center's TOML config (deploy/center.example.toml shows
// every key). A bad file is refused with the line and the reason; nothing from
// it is used. TOML is parsed by toml++ and read through the same strict JSON
// reader as everything else, so unknown keys are errors, not silent typos.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/auth.hpp"
#include "api/follow.hpp"
#include "api/public_limits.hpp"
#include "engine/center.hpp"
#include "feed/pull.hpp"
#include "central/province.hpp"
#include "central/shipper.hpp"

namespace api {

struct CenterConfig {
    engine::Center center;
    PasswordCost password_cost;
    std::optional<feed::PullConfig> pull;  // [dossier_feed] pull_url: poll the dossier backend
    std::filesystem::path pull_token_file;  // its bearer token, read when the server starts
    std::optional<central::ShipConfig> central;  // [central]: ship tickets and figures to the province
    std::optional<central::ReaderConfig> province;  // [central] too: how GET /api/province reads it back
    PhoneSettings phone;           // [phone]: the citizens' phone pages
    PublicLimiter::Policy public_limits;  // [phone] requests_per_minute, request_burst, requests_per_second_overall
    nlohmann::json phone_table;    // [phone] as written (null if none): the message senders ([[phone.sender]]) are read from it by notify
};

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

CenterConfig load_config_file(const std::filesystem::path& file);  // throws ConfigError
CenterConfig parse_config(const std::string& toml_text, const std::string& source_name);

// The demo center shipped in assets/demo-center.toml, built into the binary.
CenterConfig demo_config();

}  // namespace api
