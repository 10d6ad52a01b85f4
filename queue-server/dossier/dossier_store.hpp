// dossier_store: dossiers in SQLite (dossiers.db beside center.db). A batch of
// updates is applied in one durable transaction; an update whose event id was
// seen before is skipped, so a backend may resend whatever it is unsure of.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dossier.hpp"
#include "sqlite.hpp"

namespace dossier {

struct IngestResult {
    int applied = 0;
    int duplicates = 0;
    std::vector<std::string> changed;  // codes, each once
};

class Store {
public:
    explicit Store(const std::string& path);
    ~Store();

    IngestResult ingest(const std::vector<Update>& updates);
    std::optional<Dossier> find(const std::string& code) const;
    int64_t count() const;

private:
    std::unique_ptr<sqlite::Database> db_;
};

}  // namespace dossier
