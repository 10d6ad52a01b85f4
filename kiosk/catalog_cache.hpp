// catalog_cache: the kiosk's own copy of the procedure catalog, so search never
// waits on the network and keeps working when the server is gone.
//
// Why search here and not through GET /api/procedures: a keystroke answered from
// memory is shown in the same frame (well under a millisecond, bench/), while a
// request per keystroke costs a round trip and stops when the link does. The
// copy is the server's own catalog library (queue-server/catalog) over a SQLite
// file in the cache folder, so ranking, folding and synonyms are the same as the
// server's. It is replaced whole when the server announces a new version.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace kiosk {

class CatalogCache {
public:
    // Opens (or creates) DIR/catalog.db. Throws std::runtime_error when the folder
    // cannot be made or the file opened (a broken file is moved aside and started again).
    explicit CatalogCache(const std::filesystem::path& dir);

    int64_t version() const { return catalog_->version(); }
    size_t size() const { return catalog_->size(); }
    bool empty() const { return size() == 0; }

    std::vector<catalog::Hit> search(const std::string& query, size_t limit) const;
    const std::vector<catalog::FieldCount>& fields() const { return catalog_->fields(); }
    std::vector<catalog::Hit> in_field(const std::string& field) const { return catalog_->in_field(field); }
    std::optional<nlohmann::json> procedure(const std::string& code) const { return catalog_->procedure(code); }

    // GET /api/catalog's body → a new index, written to the file. Any thread, one at a time.
    // Throws catalog::ImportError (or std::runtime_error) for a body that is not a catalog.
    std::shared_ptr<const catalog::Index> prepare(const nlohmann::json& body);
    // On the screen's thread.
    void install(std::shared_ptr<const catalog::Index> index) { catalog_->install(std::move(index)); }

private:
    std::unique_ptr<catalog::Catalog> catalog_;
};

}  // namespace kiosk
