// catalog_cache: the server's catalog, kept in a local file (see catalog_cache.hpp).
#include "kiosk/catalog_cache.hpp"

#include "catalog/import.hpp"

namespace kiosk {

namespace {

std::unique_ptr<catalog::Catalog> open_catalog(const std::filesystem::path& file) {
    return std::make_unique<catalog::Catalog>(file.string(), catalog::kSynonymsTsv);
}

}  // namespace

CatalogCache::CatalogCache(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto file = dir / "catalog.db";
    try {
        catalog_ = open_catalog(file);
    } catch (const std::exception&) {
        // A cache is only a copy: a damaged one is put aside and filled again from the server.
        std::error_code ec;
        std::filesystem::rename(file, dir / "catalog.db.damaged", ec);
        catalog_ = open_catalog(file);
    }
}

std::vector<catalog::Hit> CatalogCache::search(const std::string& query, size_t limit) const {
    try {
        return catalog_->search(query, limit);
    } catch (const catalog::QueryError&) {  // too long or not UTF-8: nothing matches
        return {};
    }
}

std::shared_ptr<const catalog::Index> CatalogCache::prepare(const nlohmann::json& body) {
    if (!body.is_object() || !body.contains("procedures") || !body.contains("version") ||
        !body["version"].is_number_integer())
        throw std::runtime_error("the server's catalog answer has no version or procedures");
    const auto procedures = catalog::parse_json_catalog(body["procedures"]);
    return catalog_->prepare(procedures, body["version"].get<int64_t>());
}

}  // namespace kiosk
