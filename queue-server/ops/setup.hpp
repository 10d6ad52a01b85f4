// setup: `queue-server setup` — the first run of a center, by an IT person.
//
// It writes a starting center config (from the example, with the center's name
// and time zone) unless one is there, checks it as the server would, creates the
// admin account and one device token per kiosk and display, each token in its own
// file (mode 0600) for the device's config to name. Run again, it adds what is
// missing and leaves what exists alone, so it is safe to repeat. It takes the
// data lock: it refuses while a server runs on the folder (use the admin page).
#pragma once
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ops {

struct SetupOptions {
    std::filesystem::path data;
    std::filesystem::path config;                 // written when missing, checked always
    std::filesystem::path tokens;                 // folder for kiosk-NAME.token, display-NAME.token
    std::string center_name, timezone = "Asia/Ho_Chi_Minh", level = "commune";
    std::string admin = "admin";
    std::optional<std::filesystem::path> admin_password_file;  // else asked for (twice on a terminal)
    std::vector<std::string> kiosks, displays;    // device names
    // Run as root for a packaged server: DATA's files become this user's, and the
    // config readable by its group (0640), as queue-server.service runs as it.
    std::string owner;
};

// Does the work, saying each step on `out`; throws std::runtime_error with the reason.
void setup_center(const SetupOptions& options, std::istream& in, std::ostream& out);

// The command: 0, or 2 with the reason.
int run_setup(const SetupOptions& options);

}  // namespace ops
