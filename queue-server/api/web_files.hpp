// web_files: the browser UI's static files (counter console, dashboard, admin),
// served by the queue server itself from a folder of built files.
//
// Why in memory: the files are a few hundred kilobytes, built once; reading them
// all when the server starts keeps disk reads off the event loop, and a path can
// only ever name a file that was in the folder then — no "..", no symlink out of
// it. A rebuilt UI is picked up by restarting the server.
#pragma once
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace api {

struct WebFile {
    std::string body;
    std::string content_type;
    bool immutable = false;  // a hashed build asset (assets/…): cached for a year
};

class WebFiles {
public:
    // Every regular file under `root` (links not followed); throws std::runtime_error
    // naming the folder when it is missing or holds more than `most_bytes`.
    static WebFiles load(const std::filesystem::path& root, size_t most_bytes = 64u << 20);

    // The file for a URL path ("/", "/console/", "/assets/app.1a2b.js"): a folder's
    // index.html, and for a path with no file and no extension the nearest index.html
    // above it (a single-page app's own routes); nullptr when there is none.
    const WebFile* find(const std::string& url_path) const;
    size_t size() const { return files_.size(); }

private:
    std::map<std::string, WebFile> files_;  // "/console/index.html" → file
};

// "text/html; charset=utf-8", "text/javascript; charset=utf-8", "image/png"… by extension.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace api
