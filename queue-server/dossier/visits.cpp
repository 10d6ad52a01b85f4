// dossier/visits: reads the steps that named a dossier at finish (see visits.hpp).
#include "dossier/visits.hpp"

#include "sqlite/sqlite.hpp"

namespace dossier {

std::vector<Visit> visits_of(const std::filesystem::path& center_db, const std::string& code, int most) {
    sqlite::Database db(center_db.string(), SQLITE_OPEN_READONLY);
    std::vector<Visit> out;
    {
        sqlite::Statement has(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'steps'");
        if (!has.step()) return out;
    }
    // steps_dossier (a partial index on dossier) does the finding.
    sqlite::Statement q(db, "SELECT finished_at, counter, service, result FROM steps "
                            "WHERE dossier = ?1 AND finished_at IS NOT NULL ORDER BY finished_at LIMIT ?2");
    q.bind(1, code).bind(2, most);
    while (q.step())
        out.push_back({q.int_at(0), q.null_at(1) ? 0 : static_cast<int>(q.int_at(1)), q.text_at(2),
                       q.null_at(3) ? "" : q.text_at(3)});
    return out;
}

}  // namespace dossier
