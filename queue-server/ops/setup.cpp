// setup: first run of a center — config, admin, device tokens (see setup.hpp).
#include "ops/setup.hpp"

#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <iostream>
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "api/auth.hpp"
#include "ops/backup.hpp"
#include "ops/private_file.hpp"
#include "common/text.hpp"
#include "common/toml_file.hpp"
#include "api/config_file.hpp"
#include "store/data_lock.hpp"
#include "store/store.hpp"

namespace api {
extern const char* const kStarterCenterToml;  // assets/center-starter.toml, built in
}

namespace ops {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMinPassword = 10;

// TOML basic strings: the name goes in quotes, so quotes and backslashes are escaped.
std::string toml_escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out;
}

std::string replaced(std::string text, const std::string& hole, const std::string& value) {
    for (size_t at; (at = text.find(hole)) != std::string::npos;) text.replace(at, hole.size(), value);
    return text;
}

api::CenterConfig ensure_config(const SetupOptions& o, std::ostream& out) {
    if (!fs::exists(o.config)) {
        if (o.center_name.empty()) throw std::runtime_error("--center-name is needed to write " + o.config.string());
        const auto name = common::to_nfc(o.center_name);
        if (!name) throw std::runtime_error("--center-name is not UTF-8 text");
        std::string text = replaced(api::kStarterCenterToml, "{name}", toml_escaped(*name));
        text = replaced(replaced(text, "{timezone}", toml_escaped(o.timezone)), "{level}", toml_escaped(o.level));
        api::parse_config(text, o.config.string());  // refuse a bad time zone before writing anything
        // The folder is entered by the service's user; the file is 0600 until hand_over gives its group 0640.
        make_folder(o.config.parent_path(), 0755);
        write_private_file(o.config, text);
        out << "wrote " << o.config.string() << ": two services and two counters to edit\n";
    } else {
        out << "config " << o.config.string() << " exists: checked, left as it is\n";
    }
    return api::load_config_file(o.config);
}

std::string read_line(std::istream& in, const std::string& prompt, bool secret) {
    const bool tty = &in == &std::cin && ::isatty(STDIN_FILENO);
    if (tty) std::cerr << prompt << std::flush;
    termios saved{};
    if (tty && secret && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(in, line);
    if (tty && secret) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << '\n';
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string admin_password(const SetupOptions& o, std::istream& in) {
    std::string password;
    if (o.admin_password_file) {
        password = common::first_line_of(*o.admin_password_file);
    } else {
        password = read_line(in, "Password for " + o.admin + ": ", true);
        if (&in == &std::cin && ::isatty(STDIN_FILENO) && read_line(in, "Again: ", true) != password)
            throw std::runtime_error("the two passwords differ");
    }
    if (password.size() < kMinPassword)
        throw std::runtime_error("the admin password needs at least " + std::to_string(kMinPassword) + " characters");
    return password;
}

bool has_user(store::Store& store, const std::string& name) {
    for (const auto& u : store.users())
        if (u.name == name) return true;
    return false;
}

// "Kiosk sảnh 1" -> "kiosk-sảnh-1": a file name that a shell and a config take as it is.
std::string file_name_for(const std::string& role, const std::string& name) {
    std::string out = role + "-";
    for (unsigned char c : name) out += (c == ' ' || c == '/' || c == '\\' || c < 0x20) ? '-' : static_cast<char>(c);
    return out + ".token";
}

void ensure_device(store::Store& store, const SetupOptions& o, const std::string& role, const std::string& name, std::ostream& out) {
    if (name.empty()) throw std::runtime_error("a " + role + " needs a name");
    const fs::path file = o.tokens / file_name_for(role, name);
    if (fs::exists(file)) {
        out << role << " '" << name << "': " << file.string() << " exists, left as it is\n";
        return;
    }
    const std::string token = api::new_token();
    store.put_device({api::token_hash(token), role, name, 0});
    make_folder(o.tokens, 0700);
    write_private_file(file, token + "\n");
    out << role << " '" << name << "': token in " << file.string() << " (name it in its config's token_file)\n";
}

// The packaged server runs as its own user: it must own what setup made as root.
void hand_over(const SetupOptions& o, std::ostream& out) {
    const passwd* pw = ::getpwnam(o.owner.c_str());
    if (!pw) throw std::runtime_error("--owner: no user '" + o.owner + "'");
    auto give = [&](const fs::path& p, uid_t uid, gid_t gid) {
        if (::chown(p.c_str(), uid, gid) != 0) throw std::runtime_error("cannot hand " + p.string() + " over to " + o.owner);
    };
    give(o.data, pw->pw_uid, pw->pw_gid);
    for (const auto& entry : fs::directory_iterator(o.data))
        if (entry.is_regular_file()) give(entry.path(), pw->pw_uid, pw->pw_gid);
    give(o.config, 0, pw->pw_gid);
    ::chmod(o.config.c_str(), 0640);
    out << "handed " << o.data.string() << " to " << o.owner << ", and " << o.config.string() << " to its group (0640)\n";
}

}  // namespace

void setup_center(const SetupOptions& o, std::istream& in, std::ostream& out) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
    make_folder(o.data, 0700);
    ops::refuse_interrupted_restore(o.data);
    store::DataLock lock(o.data);
    store::Store store(o.data / "center.db");
    // The password is asked for first: a refused one leaves nothing half done.
    const bool new_admin = !has_user(store, o.admin);
    const std::string password = new_admin ? admin_password(o, in) : "";
    const api::CenterConfig config = ensure_config(o, out);
    if (new_admin) {
        store.put_user({o.admin, "admin", 0, api::hash_password(password, config.password_cost)});
        out << "created the admin account " << o.admin << " (Argon2id)\n";
    } else {
        out << "account " << o.admin << " exists: left as it is\n";
    }
    for (const auto& k : o.kiosks) ensure_device(store, o, "kiosk", k, out);
    for (const auto& d : o.displays) ensure_device(store, o, "display", d, out);
    if (!o.owner.empty()) hand_over(o, out);
    out << "done: start the server with --config " << o.config.string() << " --data " << o.data.string() << "\n";
}

int run_setup(const SetupOptions& o) {
    try {
        setup_center(o, std::cin, std::cout);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "queue-server setup: " << e.what() << std::endl;
        return 2;
    }
}

}  // namespace ops
