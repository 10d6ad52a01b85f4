// logging: spdlog sinks for text, JSON lines and the systemd journal (see logging.hpp).
#include "api/logging.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <stdexcept>

namespace api {
namespace {

// One JSON object per line on stderr; the message is escaped by nlohmann::json,
// so a citizen's name with quotes or a newline cannot break the line apart.
class JsonLinesSink : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
        nlohmann::json line = {{"ts", ms},
                               {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                                                     spdlog::level::to_string_view(msg.level).size())},
                               {"msg", std::string(msg.payload.data(), msg.payload.size())}};
        const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        std::fwrite(text.data(), 1, text.size(), stderr);
    }
    void flush_() override { std::fflush(stderr); }
};

}  // namespace

void setup_logging(const std::string& format, const std::string& level) {
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") throw std::invalid_argument("unknown log level '" + level + "'");
    std::shared_ptr<spdlog::logger> logger;
    if (format == "json") logger = std::make_shared<spdlog::logger>("queue-server", std::make_shared<JsonLinesSink>());
    else if (format == "journal")
        logger = std::make_shared<spdlog::logger>("queue-server", std::make_shared<spdlog::sinks::systemd_sink_mt>("queue-server"));
    else if (format == "text") logger = spdlog::stdout_color_mt("queue-server");  // as before: tests read it
    else throw std::invalid_argument("unknown log format '" + format + "'");
    logger->set_level(lvl);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

}  // namespace api
