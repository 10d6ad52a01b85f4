// cups_server: a real cupsd for one test, in its own folder, on a local socket,
// with a raw queue whose backend ("capture") writes each job's bytes to a file.
// The backend plays a printer out of paper while the file <output>.paper-out
// exists: it reports media-empty-error and fails the job, as CUPS backends do.
#pragma once
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "process.hpp"
#include "temp_dir.hpp"

namespace testing {

class CupsServer {
public:
    CupsServer() {
        namespace fs = std::filesystem;
        const fs::path d = dir_.path;
        fs::permissions(d, fs::perms::all);
        for (const char* sub : {"spool", "tmp", "cache", "state", "log", "serverbin/backend"})
            fs::create_directories(d / sub);
        for (const char* sub : {"filter", "daemon", "cgi-bin", "monitor", "notifier", "driver"})
            if (fs::exists(fs::path("/usr/lib/cups") / sub)) fs::create_directory_symlink(fs::path("/usr/lib/cups") / sub, d / "serverbin" / sub);
        std::ofstream(d / "cupsd.conf") << "Listen " << socket() << "\nLogLevel info\nWebInterface No\nBrowsing No\n"
                                        << "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n";
        std::ofstream(d / "cups-files.conf")
            << "ServerRoot " << d.string() << "\nServerBin " << (d / "serverbin").string() << "\nRequestRoot "
            << (d / "spool").string() << "\nTempDir " << (d / "tmp").string() << "\nCacheDir "
            << (d / "cache").string() << "\nStateDir " << (d / "state").string() << "\nErrorLog stderr\n"
            << "AccessLog " << (d / "log/access_log").string() << "\nPageLog " << (d / "log/page_log").string() << "\n";
        const fs::path backend = d / "serverbin/backend/capture";
        std::ofstream(backend) << R"(#!/bin/sh
# capture: writes the job to the file named by the device URI (capture:/path).
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "Test capture"'; exit 0; }
out=${DEVICE_URI#capture:}
if [ -e "$out.paper-out" ]; then
  echo "STATE: +media-empty-error" >&2
  echo "ERROR: printer out of paper" >&2
  exit 1
fi
echo "STATE: -media-empty-error" >&2
if [ $# -ge 6 ]; then cat "$6" > "$out.part"; else cat > "$out.part"; fi
mv "$out.part" "$out"
)";
        ::chmod(backend.c_str(), 0700);  // 0700 and root-owned: CUPS runs it as root
        cupsd_ = std::make_unique<Process>(std::vector<std::string>{
            "/bin/sh", "-c",
            "exec /usr/sbin/cupsd -f -c " + (d / "cupsd.conf").string() + " -s " + (d / "cups-files.conf").string() + " 2>&1"});
        if (cupsd_->wait_for_line("Listening to " + socket()).empty())
            throw std::runtime_error("cupsd did not start");
    }

    std::string socket() const { return (dir_.path / "cups.sock").string(); }
    std::filesystem::path output(const std::string& queue) const { return dir_.path / (queue + ".out"); }

    // A raw queue (no driver, no filters) that aborts a job its backend fails.
    void add_queue(const std::string& queue) {
        run({"/usr/sbin/lpadmin", "-h", socket(), "-p", queue, "-E", "-v", "capture:" + output(queue).string(),
             "-o", "printer-error-policy=abort-job"});
    }
    void run(const std::vector<std::string>& argv) {
        Process p(argv);
        if (p.wait_exit() != 0) throw std::runtime_error(argv[0] + " failed");
    }
    void set_paper_out(const std::string& queue, bool out) {
        const auto flag = output(queue).string() + ".paper-out";
        if (out)
            std::ofstream{flag};
        else
            std::filesystem::remove(flag);
    }

private:
    TempDir dir_;
    std::unique_ptr<Process> cupsd_;
};

}  // namespace testing
