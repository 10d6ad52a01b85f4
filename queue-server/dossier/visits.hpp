// dossier/visits: the center's visits that handed in or picked up a dossier — the
// steps whose outcome named its code at finish (issue 22) — so that the kiosk and
// the phone can say "received at counter 3 on …" beside the province's status.
//
// Why here: the link is the dossier's, read from the center's own `steps` view
// (store/visit_views.cpp) through a read-only connection of its own, on a worker
// thread: a lookup never waits on the writer and the loop never waits on it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dossier {

struct Visit {
    int64_t finished_at = 0;  // UTC ms
    int counter = 0;
    std::string service;
    std::string result;       // received, returned_for_supplement, advised_only, refused, result_returned; "" not said
};

// The finished steps that named `code`, oldest first (at most `most`). A center
// database without the view (older than schema 7) has none.
std::vector<Visit> visits_of(const std::filesystem::path& center_db, const std::string& code, int most = 20);

}  // namespace dossier
