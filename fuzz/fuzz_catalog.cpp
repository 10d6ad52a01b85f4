// fuzz_catalog: bytes as a catalog file, a search query, a dossier CSV/update
// and a feed page or push body.
// Bad input must end in ImportError, QueryError or UpdateError, never a crash;
// a catalog that imports must be searchable with any query, and every search
// result must be a procedure of that catalog.
#include <cstdlib>
#include <filesystem>
#include <set>
#include <unistd.h>

#include "catalog/catalog.hpp"
#include "dossier/dossier.hpp"
#include "catalog/fold.hpp"
#include "catalog/import.hpp"

namespace {

catalog::Catalog& scratch_catalog() {
    static const std::string path = "/tmp/fuzz-catalog-" + std::to_string(::getpid()) + ".db";
    static catalog::Catalog c(path, catalog::kSynonymsTsv);
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // The first line is also a query; the whole input is a catalog file and a dossier CSV.
    const std::string query = text.substr(0, std::min(text.find('\n'), size_t{300}));
    (void)catalog::fold(text);
    try {
        const auto procedures = catalog::parse_catalog(text);
        auto& cat = scratch_catalog();
        cat.replace(procedures);
        std::set<std::string> codes;
        for (const auto& p : procedures) codes.insert(p.code);
        for (const auto& q : {query, std::string("a"), std::string("dang ky")}) {
            try {
                for (const auto& hit : cat.search(q, 10))
                    if (!codes.contains(hit.code)) std::abort();
            } catch (const catalog::QueryError&) {
            }
        }
    } catch (const catalog::ImportError&) {
    }
    try {
        (void)dossier::updates_from_csv(text);
    } catch (const dossier::UpdateError&) {
    }
    for (auto parse : {+[](const std::string& t) { return dossier::parse_feed_page(t).updates; },
                       +[](const std::string& t) { return dossier::parse_feed_push(t); }}) {
        try {
            dossier::Dossier d;
            for (const auto& u : parse(text)) dossier::apply(d, u);
        } catch (const dossier::UpdateError&) {
        }
    }
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded()) {
        try {
            dossier::Dossier d;
            dossier::apply(d, dossier::update_from_json(j));
            (void)dossier::public_view(d, "2026-11-24");
        } catch (const dossier::UpdateError&) {
        }
    }
    return 0;
}
