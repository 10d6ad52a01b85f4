// dossier_routes: a dossier's status by its code and check value, for kiosks
// and staff. An unknown code and a wrong check value get the same answer; each
// device or user has a few lookups a minute, and wrong check values for one
// code lock that code for everyone for a while, so codes and check values
// cannot be found by trying. A found dossier carries the center's own visits
// that named it at finish (issue 22: "received at counter 3 on …").
#include "api/core.hpp"
#include "api/handlers.hpp"
#include "common/http_url.hpp"
#include "dossier/visits.hpp"

namespace api::handlers {
namespace {

std::string today_local(const common::LocalCalendar& calendar, int64_t ms) {
    const int day = calendar.at(ms).day;  // yyyymmdd
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return buf;
}

// The names a visit is shown with, read from the engine on the loop before the
// steps are read on a worker: counter id -> its name, service code -> vi and en.
struct Names {
    std::map<int, std::string> counters;
    std::map<std::string, std::pair<std::string, std::string>> services;
};

Names names_of(const engine::Center& center) {
    Names n;
    for (const auto& k : center.counters) n.counters[k.id] = k.name;
    for (const auto& s : center.services) n.services[s.code] = {s.name_vi, s.name_en};
    return n;
}

// `at_local` in the center's zone ("08:12 24/11/2026"): a phone's own zone may be another.
json visits_json(const std::vector<dossier::Visit>& visits, const Names& names, const common::LocalCalendar& calendar) {
    json out = json::array();
    for (const auto& v : visits) {
        json j = {{"at", v.finished_at}, {"at_local", common::local_time_text(v.finished_at, calendar)}, {"counter", v.counter},
                  {"service", v.service}};
        if (const auto k = names.counters.find(v.counter); k != names.counters.end() && !k->second.empty())
            j["counter_name"] = k->second;
        if (const auto s = names.services.find(v.service); s != names.services.end()) {
            j["service_name"] = s->second.first;
            if (!s->second.second.empty()) j["service_name_en"] = s->second.second;
        }
        if (!v.result.empty()) j["result"] = v.result;
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace

void look_up_dossier(Core& core, const Call& call, Respond respond) {
    look_up_dossier_for(core, call, std::string(role_name(call.who->role)) + ":" + call.who->name, std::move(respond));
}

// `who`: the bucket of lookups this caller spends — a device or user, or a phone's address.
void look_up_dossier_for(Core& core, const Call& call, const std::string& who, Respond respond) {
    dossier::Store* dossiers = core.options().dossiers;
    if (!dossiers) return respond(error_reply(404, "no_dossiers", "this server keeps no dossiers"));
    const auto code = common::percent_decode(call.params.at(0));
    const auto check = common::percent_decode(call.query.contains("check") ? call.query.at("check") : "");
    if (!code || !check) return respond(error_reply(400, "bad_query", "malformed %-escape"));
    const int64_t now_ms = core.wall_ms();
    if (const auto wait = core.lookups().admit(who, *code, now_ms)) {
        Reply refused = error_reply(429, "too_many_lookups", "too many lookups; try again later");
        refused.retry_after_s = static_cast<int>((*wait + 999) / 1000);
        return respond(refused);
    }
    const auto d = dossiers->find(*code);
    if (!d || !dossiers->check_matches(*d, *check)) {
        core.lookups().failed(*code, now_ms);
        return respond(error_reply(404, "not_found", "no dossier with this code and check value"));
    }
    core.lookups().succeeded(*code);
    json view = dossier::public_view(*d, today_local(core.calendar(), now_ms));
    if (core.options().stats_db.empty()) return respond(ok_json(view));
    // The dossier's own code (as the backend wrote it), the one a counter types from the receipt.
    core.offload(Work::reports, [db = core.options().stats_db, code = d->code, view = std::move(view),
                                 names = names_of(core.engine().state().center), calendar = core.calendar()]() mutable {
        try {
            view["visits"] = visits_json(dossier::visits_of(db, code), names, calendar);
        } catch (const std::exception&) {
            view["visits"] = json::array();  // the status is what was asked; the visits are a courtesy
        }
        return ok_json(view);
    }, std::move(respond));
}

}  // namespace api::handlers
