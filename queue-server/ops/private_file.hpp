// private_file: files only their owner may read, written whole or not at all.
//
// Why: tokens, the config and the restore marker are read by a server that
// trusts them. Written with a plain ofstream then chmod 0600, a token sat for a
// moment readable by anyone; written in place, a crash left half a file. Here
// the file is born 0600 by open(2) under a temporary name in the same folder,
// synced, and renamed over the final name, so a reader sees the old file or the
// whole new one, and no one else ever sees it.
#pragma once
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace ops {

// Writes `text` into `file` (mode 0600; its folder must exist). Throws
// std::runtime_error with the reason, leaving the old file as it was.
void write_private_file(const std::filesystem::path& file, const std::string& text);

// write(2) of all `size` bytes, through short writes and signals; throws naming `file`.
void write_fully(int fd, const char* bytes, size_t size, const std::filesystem::path& file);

// fsync(2) of a file or a folder (a folder: the renames in it are durable).
void fsync_path(const std::filesystem::path& path);

// A folder and its missing parents made with `mode` (whatever the umask says:
// 0700 for data and tokens, 0755 for a config folder the service must enter).
// An existing folder is left as it is.
void make_folder(const std::filesystem::path& folder, mode_t mode);

}  // namespace ops
