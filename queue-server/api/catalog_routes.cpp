// catalog_routes: the procedure catalog. Reading it needs no token: it is
// public information (the national portal publishes it). A kiosk's whole copy
// is read off the loop; replacing it is for admins, in the background.
#include <charconv>
#include <spdlog/spdlog.h>

#include "api/core.hpp"
#include "api/handlers.hpp"
#include "catalog/import.hpp"
#include "common/http_url.hpp"

namespace api::handlers {
namespace {

// The catalog, or the answer that there is none; kiosks hear of a changed file first.
catalog::Catalog* catalog_of(Core& core, Respond& respond) {
    catalog::Catalog* cat = core.options().catalog;
    if (!cat) {
        respond(error_reply(404, "no_catalog", "this server has no procedure catalog"));
        return nullptr;
    }
    if (cat->refresh_if_changed()) core.broadcast({{"type", "catalog_updated"}, {"version", cat->version()}});
    return cat;
}

std::optional<int> limit_of(const std::map<std::string, std::string>& query) {
    const std::string text = query.contains("limit") ? query.at("limit") : "10";
    int v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v <= 0 || v > 100) return std::nullopt;
    return v;
}

}  // namespace

void catalog_info(Core& core, const Call&, Respond respond) {
    if (auto* cat = catalog_of(core, respond)) respond(ok_json({{"version", cat->version()}, {"procedures", cat->size()}}));
}

void fields(Core& core, const Call&, Respond respond) {
    auto* cat = catalog_of(core, respond);
    if (!cat) return;
    json out = json::array();
    for (const auto& f : cat->fields()) out.push_back({{"field", f.field}, {"count", f.count}, {"levels", f.levels}});
    respond(ok_json({{"version", cat->version()}, {"fields", out}}));
}

void search_procedures(Core& core, const Call& call, Respond respond) {
    auto* cat = catalog_of(core, respond);
    if (!cat) return;
    const auto q = common::percent_decode(call.query.contains("q") ? call.query.at("q") : "");
    const auto limit = limit_of(call.query);
    if (!q) return respond(error_reply(400, "bad_query", "q has a malformed %-escape"));
    if (!limit) return respond(error_reply(400, "bad_limit", "limit is a whole number from 1 to 100"));
    try {
        json hits = json::array();
        for (const auto& h : cat->search(*q, static_cast<size_t>(*limit)))
            hits.push_back({{"code", h.code}, {"name", h.name}, {"field", h.field}, {"level", h.level}});
        respond(ok_json({{"version", cat->version()}, {"hits", hits}}));
    } catch (const catalog::QueryError& e) {
        respond(error_reply(400, "bad_query", e.what()));
    }
}

void get_procedure(Core& core, const Call& call, Respond respond) {
    auto* cat = catalog_of(core, respond);
    if (!cat) return;
    const auto code = common::percent_decode(call.params.at(0));
    auto record = code ? cat->procedure(*code) : std::nullopt;
    if (record) respond(ok_json(*record));
    else respond(error_reply(404, "unknown_procedure", "no procedure with that code"));
}

// Megabytes for 10,000 procedures: read off the loop, through the catalog's own connection.
void catalog_export(Core& core, const Call&, Respond respond) {
    auto* cat = catalog_of(core, respond);
    if (!cat) return;
    core.offload(Work::reports, [cat] { return Reply{200, cat->export_json(), "application/json"}; }, std::move(respond));
}

// All or nothing: a broken file leaves the catalog in use as it was. Parsing,
// writing and indexing take about a second for 10,000 procedures, so they run
// in the background; the loop only swaps the index in. Kiosks hear of a new
// version on the event stream and refresh their cache.
void import_catalog(Core& core, const Call& call, Respond respond) {
    auto* cat = catalog_of(core, respond);
    if (!cat) return;
    const bool taken = core.queue(Work::imports).try_post([&core, cat, body = std::move(call.request.body), respond]() mutable {
        try {
            auto index = cat->prepare(catalog::parse_catalog(body));
            core.post([&core, cat, index = std::move(index), respond] {
                const auto version = index->version();
                const auto count = index->size();
                core.queue(Work::imports).try_post([old = cat->install(index)] {});  // freed there
                core.broadcast({{"type", "catalog_updated"}, {"version", version}});
                respond(ok_json({{"version", version}, {"procedures", count}}));
            });
        } catch (const catalog::ImportError& e) {
            core.post([respond, why = std::string(e.what())] { respond(error_reply(400, "bad_catalog", why)); });
        } catch (const std::exception& e) {
            spdlog::error("catalog import failed: {}", e.what());
            core.post([respond] { respond(error_reply(500, "catalog_failed", "the catalog could not be saved; the previous one stays in use")); });
        }
    });
    if (!taken) respond(busy_reply("earlier imports"));
}

}  // namespace api::handlers
