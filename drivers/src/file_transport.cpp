// file_transport: jobs as numbered files in a folder (see file_transport.hpp).
#include "drivers/file_transport.hpp"

#include <cstdio>
#include <string>

#include "drivers/errors.hpp"

namespace drivers {

namespace {

// Letters, digits, '-' and '_' only, so a job name can never leave the folder.
std::string safe_name(const std::string& name) {
    std::string out;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_';
        out += ok ? c : '_';
    }
    return out.empty() ? "job" : out.substr(0, 80);
}

// Numbers continue after a restart: the next is one past the highest in the folder.
int highest_sequence(const std::filesystem::path& folder) {
    int highest = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        int n = 0;
        if (std::sscanf(name.c_str(), "%6d-", &n) == 1) highest = std::max(highest, n);
    }
    return highest;
}

}  // namespace

FileTransport::FileTransport(std::filesystem::path folder, FileOutput output)
    : folder_(std::move(folder)), output_(output) {
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    sequence_ = highest_sequence(folder_);
}

PrinterStatus FileTransport::status() {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder_, ec))
        return {PrinterState::offline, "print folder " + folder_.string() + " does not exist"};
    return {PrinterState::ready, "ready"};
}

void FileTransport::begin(const JobInfo& job) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%06d-", ++sequence_);
    stem_ = prefix + safe_name(job.name);
    pages_ = job.pages;
    last_ = folder_ / (stem_ + ".bin");
    part_ = folder_ / (stem_ + ".bin.part");
    if (!output_.bytes) return;
    out_.open(part_, std::ios::binary | std::ios::trunc);
    if (!out_) throw TransportError("cannot create " + part_.string());
}

void FileTransport::write(std::span<const uint8_t> bytes) {
    if (!output_.bytes) return;
    out_.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out_) throw TransportError("cannot write " + part_.string() + " (disk full?)");
}

// The PNG is written after the bytes, so it never delays the first byte.
void FileTransport::finish() {
    if (output_.png && pages_)
        for (size_t i = 0; i < pages_->size(); ++i) {
            const std::string suffix = i == 0 ? ".png" : "-p" + std::to_string(i + 1) + ".png";
            try {
                save_png((*pages_)[i], folder_ / (stem_ + suffix));
            } catch (const LayoutError& e) {
                throw TransportError(e.what());
            }
        }
    if (!output_.bytes) return;
    out_.close();
    if (!out_) throw TransportError("cannot close " + part_.string());
    std::error_code ec;
    std::filesystem::rename(part_, last_, ec);
    if (ec) throw TransportError("cannot rename " + part_.string() + ": " + ec.message());
}

void FileTransport::abort() noexcept {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(part_, ec);
}

}  // namespace drivers
