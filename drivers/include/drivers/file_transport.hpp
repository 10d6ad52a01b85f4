// file_transport: a "printer" that is a folder. Each job becomes NNNN-name.bin
// (the exact ESC/POS bytes) and NNNN-name.png (the raster, page by page), for
// the demo center, for tests, and for a manager who wants to see what printed.
// The .bin appears only when complete (written as .part, then renamed).
#pragma once
#include <filesystem>
#include <fstream>

#include "drivers/transport.hpp"

namespace drivers {

struct FileOutput {
    bool bytes = true;
    bool png = true;
};

class FileTransport : public Transport {
public:
    FileTransport(std::filesystem::path folder, FileOutput output = {});

    std::string describe() const override { return "file " + folder_.string(); }
    PrinterStatus status() override;
    void begin(const JobInfo& job) override;
    void write(std::span<const uint8_t> bytes) override;
    void finish() override;
    void abort() noexcept override;

    // The .bin of the last finished job (empty before any).
    const std::filesystem::path& last_file() const { return last_; }

private:
    std::filesystem::path folder_;
    FileOutput output_;
    int sequence_ = 0;
    std::string stem_;
    const std::vector<Bitmap>* pages_ = nullptr;
    std::filesystem::path part_, last_;
    std::ofstream out_;
};

}  // namespace drivers
