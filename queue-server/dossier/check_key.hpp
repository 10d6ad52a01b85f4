// check_key: the secret that keys the hashes of the dossiers' check values,
// kept in its own file (DATA/dossier-key), never in dossiers.db.
//
// Why apart: a check value is a few digits (the last 4 of a phone), so anyone
// holding both the hashes and the key tries all 10,000 in a moment. dossiers.db
// is copied into every backup; the key file is not, and it is 0600 from the
// moment it exists, so a backup or a readable database alone cracks nothing.
//
// The file holds 64 hex characters and a newline; those 64 characters are the
// hash key as they are (the form the key had inside dossiers.db, so a key moved
// out of an old database keeps every stored check value valid).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace dossier {

struct KeyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A fresh key: 32 random bytes in hex.
std::string new_check_key();
// Whether `key` has the form of a check key (64 hex characters).
bool is_check_key(const std::string& key);
// The key in `path`; nullopt when there is no such file. Throws KeyError when
// it cannot be read or holds something else. A file that others may read is
// made 0600 when it can be (a copy put back by hand often is not).
std::optional<std::string> read_key_file(const std::string& path);
// Puts `key` into `path`, 0600 from its creation (O_EXCL, fsync, link), and
// returns the key the file then holds: another process that made the file at
// the same moment wins, and both use its key. Throws KeyError.
std::string create_key_file(const std::string& path, const std::string& key);

}  // namespace dossier
