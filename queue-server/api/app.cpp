// app: wiring of store, core and server into one process (see app.hpp).
#include "api/app.hpp"

#include <boost/asio.hpp>
#include <fstream>
#include <iterator>
#include <iostream>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.hpp"
#include "common/toml_file.hpp"
#include "api/config_file.hpp"
#include "notify/notifier.hpp"
#include "dossier/check_key.hpp"
#include "dossier/dossier_store.hpp"
#include "catalog/import.hpp"
#include "api/core.hpp"
#include "engine/codec.hpp"
#include "store/data_lock.hpp"
#include "api/server.hpp"
#include "api/watchdog.hpp"

namespace api {
extern const char* const kDemoCatalogJson;  // assets/catalog-sample.json, built in
namespace {

namespace asio = boost::asio;

std::string random_password() { return new_token().substr(0, 16); }

// Demo accounts: an admin, a manager, one staff member per counter, a kiosk and a display.
nlohmann::json seed_demo_accounts(Core& core, const engine::Center& center, const PasswordCost& cost) {
    nlohmann::json creds;
    auto add = [&](const std::string& user, const std::string& role, int counter) {
        const std::string password = random_password();
        core.add_user_now({user, role, counter, hash_password(password, cost)});
        return nlohmann::json{{"user", user}, {"password", password}};
    };
    creds["admin"] = add("admin", "admin", 0);
    creds["manager"] = add("manager", "manager", 0);
    creds["staff"] = nlohmann::json::array();
    for (const auto& k : center.counters) {
        auto s = add("staff" + std::to_string(k.id), "staff", k.id);
        s["counter"] = k.id;
        creds["staff"].push_back(s);
    }
    creds["kiosk_token"] = core.add_device_now("kiosk", "Kiosk demo");
    creds["display_token"] = core.add_device_now("display", "Display demo");
    if (!center.counters.empty())
        creds["rating_token"] = core.add_device_now("rating", "Tablet " + center.counters.front().name, center.counters.front().id);
    return creds;
}

// Three dossiers at different stages, so the kiosk's lookup can be tried.
void seed_demo_dossiers(dossier::Store& store, int64_t now_ms) {
    const int64_t day = 24 * 3600 * 1000;
    auto update = [&](const std::string& id, const std::string& code, int64_t at, int status) {
        dossier::Update u;
        u.event_id = id;
        u.code = code;
        u.at = at;
        u.status = status;
        return u;
    };
    std::vector<dossier::Update> all;
    auto first = update("demo-1", "H55.26-1124-0001", now_ms - 3 * day, 2);
    first.procedure_code = "1.001193";
    first.procedure_name = "Đăng ký khai sinh";
    first.applicant_name = "Nguyễn Văn An";
    first.check = "1234";
    first.received_date = "2026-11-21";
    first.appointment_date = "2026-11-24";
    first.pickup = "Quầy số 1";
    all.push_back(first);
    all.push_back(update("demo-2", "H55.26-1124-0001", now_ms - 2 * day, 4));
    all.push_back(update("demo-3", "H55.26-1124-0001", now_ms - day, 9));
    auto second = update("demo-4", "H55.26-1124-0002", now_ms - day, 2);
    second.procedure_name = "Đăng ký thường trú";
    second.applicant_name = "Trần Thị Bình";
    second.check = "5678";
    second.received_date = "2026-11-23";
    second.appointment_date = "2026-11-30";
    all.push_back(second);
    auto third = update("demo-5", "H55.26-1124-0002", now_ms - day / 2, 5);
    third.note = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp";
    third.supplements = std::vector<std::string>{"Hợp đồng thuê nhà có công chứng"};
    all.push_back(third);
    store.ingest(all);
}

// Born 0600 (a secret that is chmod-ed after it is written can be read before),
// under a temporary name, synced, then renamed: never seen half written.
void write_private_file(const std::filesystem::path& file, const std::string& text) {
    const std::filesystem::path temp = file.parent_path() / ("." + file.filename().string() + ".new");
    std::filesystem::remove(temp);  // a crash's leftover: O_EXCL opens only a new file
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + temp.string() + ": " + std::strerror(errno));
    const std::string bytes = text + '\n';
    const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + temp.string());
    std::filesystem::rename(temp, file);
}

std::string feed_secret(const AppOptions& o) {
    std::filesystem::path file = o.feed_secret_file.value_or(o.data / "feed-secret");
    if (!o.feed_secret_file && !o.demo) return "";
    if (o.demo && !std::filesystem::exists(file)) write_private_file(file, new_token());
    const std::string secret = common::first_line_of(file);
    if (secret.size() < 16) throw std::runtime_error("the feed secret in " + file.string() + " is shorter than 16 bytes");
    return secret;
}

// DATA/identity.key: the key of the bookings' keyed hashes, made at the first start.
// Lost, a person's bookings made before count no more toward their limits.
std::string identity_key(const AppOptions& o) {
    const std::filesystem::path file = o.data / "identity.key";
    if (!std::filesystem::exists(file)) write_private_file(file, new_token());
    return common::first_line_of(file);
}

// The connector to the dossier backend, when the config names one. Its pages
// go through the core like pushes, with the cursor saved alongside.
std::shared_ptr<feed::PullConnector> start_pull(asio::io_context& io, Core& core, const CenterConfig& config) {
    feed::PullConfig pull = *config.pull;
    if (!config.pull_token_file.empty()) pull.token = common::first_line_of(config.pull_token_file);
    auto connector = std::make_shared<feed::PullConnector>(io, pull, core.pull_cursor(), core.pull_sink(), common::system_now_ms);
    core.set_pull_status([connector] { return connector->status().to_json(); });
    connector->start();
    spdlog::info("dossier pull: every {} s from {}", pull.interval.count() / 1000, pull.url);
    return connector;
}

}  // namespace

bool parse_listen(const std::string& text, std::string& host, uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string p = text.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
    const int v = std::stoi(p);
    if (v > 65535) return false;
    port = static_cast<uint16_t>(v);
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

namespace {

// The notifier when [phone] names senders, else none (the notify route answers 409).
// A file sender's relative path is in the data folder: the demo's DATA/messages.jsonl.
std::unique_ptr<notify::Notifier> make_notifier(const std::filesystem::path& data, const CenterConfig& config) {
    nlohmann::json table = config.phone_table;
    if (!table.is_object() || !table.contains("sender") || !table["sender"].is_array() || table["sender"].empty()) return nullptr;
    for (auto& sender : table["sender"])
        if (sender.is_object() && sender.value("kind", "") == "file" && sender.contains("path") && sender["path"].is_string())
            if (const std::filesystem::path path = sender["path"].get<std::string>(); path.is_relative())
                sender["path"] = (data / path).string();
    notify::Options options;
    options.timezone = config.center.timezone;
    auto n = std::make_unique<notify::Notifier>(data, data / "center.db", table, config.center.name, options);
    spdlog::info("messages: {} sender(s) from [phone], kept in {}", table["sender"].size(), n->file().string());
    return n;
}

}  // namespace

int run_app(const AppOptions& o) {
    if (sodium_init() < 0) {
        spdlog::critical("libsodium failed to start");
        return 3;
    }
    std::optional<CenterConfig> config;
    try {
        if (o.config) config = load_config_file(*o.config);
        else if (o.demo) config = demo_config();
    } catch (const ConfigError& e) {
        std::cerr << "queue-server: bad config: " << e.what() << std::endl;
        return 2;
    }
    std::optional<store::DataLock> lock;
    try {
        lock.emplace(o.data);
    } catch (const store::LockedError& e) {
        std::cerr << "queue-server: " << e.what() << std::endl;
        return 2;
    }
    // ops/backup.hpp's kRestoreMarker: a restore was cut off, DATA is neither the old state nor the backup's.
    if (std::filesystem::exists(o.data / "restore-in-progress")) {
        std::cerr << "queue-server: " << o.data.string() << ": a restore into this folder was cut off before it finished; run `queue-server restore --data "
                  << o.data.string() << " BACKUP` again to complete it" << std::endl;
        return 2;
    }
    store::Store store(o.data / "center.db");

    Core::Options core_options;
    if (config) {
        core_options.timezone = config->center.timezone;
        core_options.password_cost = config->password_cost;
        core_options.province = config->province;
        core_options.phone = config->phone;
        core_options.public_limits = config->public_limits;
    }
    core_options.identity_key = identity_key(o);
    // The citizens' messages and the webhooks ([[phone.sender]]): made before the
    // core, which tells it of every durable batch, and so stopped after it.
    std::unique_ptr<notify::Notifier> notifier;
    try {
        if (config) notifier = make_notifier(o.data, *config);
    } catch (const std::exception& e) {
        std::cerr << "queue-server: bad config: " << e.what() << std::endl;
        return 2;
    }
    if (notifier) {
        core_options.messages = notifier.get();
        notifier->start();
    }
    catalog::Catalog procedures(o.data / "catalog.db", catalog::kSynonymsTsv);
    if (o.demo && procedures.size() == 0) {
        procedures.replace(catalog::parse_catalog(kDemoCatalogJson));
        spdlog::info("demo catalog: {} procedures", procedures.size());
    }
    core_options.catalog = &procedures;
    dossier::Store dossiers((o.data / "dossiers.db").string(), (o.data / "dossier-key").string());
    if (o.demo && dossiers.count() == 0) seed_demo_dossiers(dossiers, common::system_now_ms());
    core_options.dossiers = &dossiers;
    core_options.feed_secret = feed_secret(o);
    core_options.stats_db = o.data / "center.db";
    std::optional<WebFiles> web;
    if (o.web) {
        try {
            web = WebFiles::load(*o.web);
        } catch (const std::exception& e) {
            spdlog::error("{}", e.what());
            return 2;
        }
        spdlog::info("web UI: {} files from {}", web->size(), o.web->string());
        core_options.web = &*web;
    }
    Core core(store, core_options);
    const bool configured = core.engine().state().configured;
    const auto creds_file = o.data / "demo-credentials.json";
    if (config && (o.config || !configured) &&
        engine::center_to_json(core.engine().state().center) != engine::center_to_json(config->center)) {
        if (auto err = core.run_startup(engine::Configure{config->center})) {
            std::cerr << "queue-server: config refused: " << err->message << std::endl;
            return 2;
        }
        spdlog::info("center configured: {} services, {} counters", config->center.services.size(), config->center.counters.size());
    }
    if (o.demo && !std::filesystem::exists(creds_file) && store.users().empty()) {
        const auto creds = seed_demo_accounts(core, core.engine().state().center, core_options.password_cost);
        write_private_file(creds_file, creds.dump(2));
        spdlog::info("demo accounts written to {}", creds_file.string());
    }
    if (!core.engine().state().configured)
        spdlog::warn("no center is configured: start with --config FILE or --demo, or PUT /api/admin/center");

    asio::io_context io(1);
    int exit_code = 0;
    Server server(io, core, o.host, o.port);
    core.set_connection_counts([&server] { return server.connection_counts(); });
    core.start({.post = [&io](Task t) { asio::post(io, std::move(t)); },
                .fatal = [&] {
                    exit_code = 3;
                    io.stop();
                },
                .later = [&io](std::chrono::milliseconds after, Task t) { run_later(io, after, std::move(t)); }});
    std::shared_ptr<feed::PullConnector> pull;
    if (config && config->pull) pull = start_pull(io, core, *config);
    // The hall never waits on the province: the shipper reads the file on its own thread.
    std::unique_ptr<central::ShipperThread> shipper;
    if (config && config->central) {
        shipper = std::make_unique<central::ShipperThread>(o.data / "center.db", *config->central);
        core.set_central_status([&shipper] { return shipper->status(); });
        spdlog::info("central: shipping to the province as '{}'", config->central->center_code);
    }
    Watchdog watchdog(io, [&core] { return Watchdog::Progress{core.submitted_seq(), core.durable_seq()}; });
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int sig) {
        spdlog::info("signal {}: stopping", sig);
        watchdog.stopping();
        if (pull) pull->stop();
        server.stop();
        io.stop();
    });
    std::cout << "queue-server listening on http://" << o.host << ":" << server.port() << " data=" << o.data.string()
              << " seq=" << core.engine().state().seq << std::endl;
    watchdog.ready("serving on port " + std::to_string(server.port()) + ", event " + std::to_string(core.engine().state().seq));
    io.run();
    if (shipper) shipper->stop();
    core.stop();  // whatever was submitted is committed before we exit
    return exit_code;
}

namespace {

// The whole file, or nullopt after saying why not.
std::optional<std::string> read_whole_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "queue-server: cannot read " << file.string() << std::endl;
        return std::nullopt;
    }
    return std::string{std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

int import_catalog_file(const std::filesystem::path& data, const std::filesystem::path& file) {
    const auto text = read_whole_file(file);
    if (!text) return 2;
    try {
        const auto parsed = catalog::parse_catalog(*text);
        std::filesystem::create_directories(data);
        catalog::Catalog procedures(data / "catalog.db", catalog::kSynonymsTsv);
        procedures.replace(parsed);
        std::cout << "imported " << parsed.size() << " procedures from " << file.string() << ": catalog version "
                  << procedures.version() << std::endl;
        return 0;
    } catch (const catalog::ImportError& e) {
        std::cerr << "queue-server: " << file.string() << ": " << e.what() << " (the catalog in use is unchanged)" << std::endl;
        return 2;
    }
}

int import_dossier_file(const std::filesystem::path& data, const std::filesystem::path& file) {
    const auto text = read_whole_file(file);
    if (!text) return 2;
    try {
        const auto updates = dossier::updates_from_csv(*text);
        std::filesystem::create_directories(data);
        dossier::Store store((data / "dossiers.db").string(), (data / "dossier-key").string());
        const auto r = store.ingest(updates);
        std::cout << "imported " << r.applied << " dossier steps from " << file.string() << " (" << r.duplicates
                  << " already known)" << std::endl;
        return 0;
    } catch (const dossier::UpdateError& e) {
        std::cerr << "queue-server: " << file.string() << ": " << e.what() << " (nothing was imported)" << std::endl;
        return 2;
    } catch (const dossier::KeyError& e) {
        std::cerr << "queue-server: " << e.what() << " (nothing was imported)" << std::endl;
        return 2;
    }
}

}  // namespace api
