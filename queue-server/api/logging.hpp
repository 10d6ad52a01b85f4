// logging: where the server's log lines go, and in what shape.
//
// text: spdlog's usual line, for a person at a terminal. json: one object per
// line ({"ts","level","msg"}) on stderr, for a log shipper. journal: systemd's journal
// with PRIORITY and SYSLOG_IDENTIFIER set, so `journalctl -p warning -u
// queue-server` filters by level. The unit files use journal.
#pragma once
#include <string>

namespace api {

// Throws std::invalid_argument for an unknown format or level.
void setup_logging(const std::string& format, const std::string& level);

}  // namespace api
