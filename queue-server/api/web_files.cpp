// web_files: the UI's files loaded once, looked up by URL path (see web_files.hpp).
#include "api/web_files.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace api {

namespace {

std::string read_whole(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    return out.str();
}

bool has_extension(const std::string& path) {
    const auto slash = path.rfind('/');
    return path.find('.', slash == std::string::npos ? 0 : slash) != std::string::npos;
}

}  // namespace

std::string content_type_for(const std::filesystem::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"}, {".map", "application/json"}};
    auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

WebFiles WebFiles::load(const std::filesystem::path& root, size_t most_bytes) {
    if (!std::filesystem::is_directory(root)) throw std::runtime_error("web folder " + root.string() + " is missing");
    WebFiles web;
    size_t total = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.is_symlink()) continue;
        const std::string url = "/" + std::filesystem::relative(entry.path(), root).generic_string();
        WebFile f{read_whole(entry.path()), content_type_for(entry.path()), url.rfind("/assets/", 0) == 0};
        total += f.body.size();
        if (total > most_bytes)
            throw std::runtime_error("web folder " + root.string() + " holds more than " + std::to_string(most_bytes >> 20) + " MiB");
        web.files_.emplace(url, std::move(f));
    }
    return web;
}

const WebFile* WebFiles::find(const std::string& url_path) const {
    if (url_path.empty() || url_path[0] != '/') return nullptr;
    // No file here has ".." in its name; such a path is someone looking for the way out.
    std::string lower = url_path;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("..") != std::string::npos || lower.find("%2e") != std::string::npos) return nullptr;
    if (auto it = files_.find(url_path); it != files_.end()) return &it->second;
    std::string folder = url_path;
    if (folder.back() != '/') {
        if (auto it = files_.find(folder + "/index.html"); it != files_.end()) return &it->second;
        if (has_extension(folder)) return nullptr;  // a missing script or image is a 404, not a page
    }
    // A route of a single-page app (/console/counter/3): the nearest index.html above it.
    while (!folder.empty()) {
        if (folder.back() == '/') folder.pop_back();
        if (auto it = files_.find(folder + "/index.html"); it != files_.end()) return &it->second;
        const auto slash = folder.rfind('/');
        if (slash == std::string::npos) break;
        folder = folder.substr(0, slash + 1);
    }
    return nullptr;
}

}  // namespace api
