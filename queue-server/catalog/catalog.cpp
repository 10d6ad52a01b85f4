// catalog: storage, vocabulary, synonyms and ranked search (see catalog.hpp).
#include "catalog.hpp"

#include <algorithm>
#include <sstream>

#include "common/text.hpp"
#include "fold.hpp"

namespace catalog {

using json = nlohmann::json;

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS procedures(code TEXT PRIMARY KEY, name TEXT NOT NULL, field TEXT NOT NULL,
                                      level TEXT NOT NULL, record TEXT NOT NULL) STRICT;
CREATE VIRTUAL TABLE IF NOT EXISTS procedure_words USING fts5(code UNINDEXED, name, field, agency, documents,
                                                               tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS catalog_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
)sql";

std::string folded(std::string_view s) { return fold(s).value_or(""); }

std::string join(const std::vector<std::string>& words, size_t from = 0, size_t to = std::string::npos) {
    std::string out;
    for (size_t i = from; i < std::min(to, words.size()); ++i) out += (out.empty() ? "" : " ") + words[i];
    return out;
}

// How much the name itself says this is the procedure meant, beyond BM25.
double name_bonus(const std::string& name, const std::string& query) {
    if (name == query) return 100;
    if (name.starts_with(query)) return 40;
    if (name.find(" " + query) != std::string::npos) return 20;
    return 0;
}

}  // namespace

Catalog::Catalog(const std::string& path, std::string_view synonyms)
    : db_(std::make_unique<sqlite::Database>(path)) {
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    db_->exec(schema);
    add_synonyms(synonyms);
    load();
}

Catalog::~Catalog() = default;

void Catalog::add_synonyms(std::string_view tsv) {
    std::istringstream lines{std::string(tsv)};
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        auto term = split_words(folded(line.substr(0, tab)));
        const std::string wording = folded(line.substr(tab + 1));
        if (!term.empty() && !wording.empty()) synonyms_.emplace_back(std::move(term), wording);
    }
}

bool Catalog::refresh_if_changed() {
    sqlite::Statement v(*db_, "PRAGMA data_version");
    const int64_t now = v.step() ? v.int_at(0) : 0;
    v.reset();
    if (now == data_version_) return false;
    load();
    return true;
}

void Catalog::load() {
    sqlite::Statement dv(*db_, "PRAGMA data_version");
    data_version_ = dv.step() ? dv.int_at(0) : 0;
    dv.reset();
    entries_.clear();
    vocabulary_.clear();
    sorted_vocabulary_.clear();
    sqlite::Statement version(*db_, "SELECT value FROM catalog_meta WHERE key = 'version'");
    version_ = version.step() ? version.int_at(0) : 0;
    version.reset();
    sqlite::Statement rows(*db_, "SELECT code, name, field, level FROM procedures");
    while (rows.step())
        entries_[rows.text_at(0)] = Entry{rows.text_at(1), rows.text_at(2), rows.text_at(3), folded(rows.text_at(1)),
                                          " " + fold_case(rows.text_at(1)).value_or("") + " "};
    sqlite::Statement words(*db_, "SELECT name || ' ' || field || ' ' || agency || ' ' || documents FROM procedure_words");
    while (words.step())
        for (auto& w : split_words(words.text_at(0))) {
            sorted_vocabulary_.insert(w);
            vocabulary_.insert(std::move(w));
        }
}

void Catalog::replace(const std::vector<Procedure>& procedures) {
    db_->exec("BEGIN IMMEDIATE");
    try {
        db_->exec("DELETE FROM procedures; DELETE FROM procedure_words;");
        sqlite::Statement put(*db_, "INSERT INTO procedures(code, name, field, level, record) VALUES(?, ?, ?, ?, ?)");
        sqlite::Statement index(*db_, "INSERT INTO procedure_words(code, name, field, agency, documents) VALUES(?, ?, ?, ?, ?)");
        for (const auto& p : procedures) {
            put.bind(1, p.code).bind(2, p.name).bind(3, p.field).bind(4, p.level).bind(5, to_json(p).dump()).run();
            std::string documents;
            for (const auto& d : p.documents) documents += folded(d.name) + " ";
            index.bind(1, p.code).bind(2, folded(p.name)).bind(3, folded(p.field)).bind(4, folded(p.agency))
                .bind(5, documents).run();
        }
        db_->exec("INSERT INTO catalog_meta(key, value) VALUES('version', 1) "
                  "ON CONFLICT(key) DO UPDATE SET value = value + 1");
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
    load();
}

bool Catalog::has_prefix(const std::string& prefix) const {
    auto it = sorted_vocabulary_.lower_bound(prefix);
    return it != sorted_vocabulary_.end() && it->starts_with(prefix);
}

// Vocabulary words one edit (delete, insert, replace, swap of neighbours) away.
// Words of three letters only get a missing letter put back ("snh" → "sinh"):
// they have too many neighbours otherwise.
std::vector<std::string> Catalog::near_words(const std::string& word) const {
    std::set<std::string> out;
    if (word.size() < 3 || vocabulary_.contains(word)) return {};
    const bool all_edits = word.size() >= 4;
    auto try_word = [&](const std::string& w) {
        if (vocabulary_.contains(w)) out.insert(w);
    };
    static const std::string letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i <= word.size(); ++i) {
        for (char c : letters) try_word(word.substr(0, i) + c + word.substr(i));
        if (!all_edits || i == word.size()) continue;
        try_word(word.substr(0, i) + word.substr(i + 1));
        if (i + 1 < word.size()) {
            std::string swapped = word;
            std::swap(swapped[i], swapped[i + 1]);
            try_word(swapped);
        }
        for (char c : letters) {
            std::string replaced = word;
            replaced[i] = c;
            try_word(replaced);
        }
    }
    return {out.begin(), out.end()};
}

// A word the catalog can match: itself, a near word, or (typed last) a prefix.
bool Catalog::known(const std::string& word, bool last) const {
    return vocabulary_.contains(word) || (last && has_prefix(word)) || !near_words(word).empty();
}

// The words themselves, plus a version with each known colloquial term replaced
// by the catalog's wording.
std::vector<std::string> Catalog::alternatives(const std::vector<std::string>& words) const {
    std::vector<std::string> out{join(words)};
    for (const auto& [term, wording] : synonyms_) {
        for (size_t i = 0; i + term.size() <= words.size(); ++i) {
            if (!std::equal(term.begin(), term.end(), words.begin() + static_cast<ptrdiff_t>(i))) continue;
            const std::string alt = join(words, 0, i) + " " + wording + " " + join(words, i + term.size());
            out.push_back(join(split_words(alt)));
            break;
        }
    }
    return out;
}

// An FTS5 expression: every word (all = true) or any word, each as itself or a
// near word; the last word also as a prefix, since the person may still be
// typing. Words the catalog can't match at all ("làm", "xin") are left out
// rather than making the whole query fail.
std::string Catalog::match_expression(const std::vector<std::string>& words, bool all) const {
    std::string expr;
    for (size_t i = 0; i < words.size(); ++i) {
        const bool last = i + 1 == words.size();
        if (!known(words[i], last)) continue;
        std::string group = "\"" + words[i] + "\"" + (last ? "*" : "");
        if (!last || !has_prefix(words[i]))
            for (const auto& near : near_words(words[i])) group += " OR \"" + near + "\"";
        expr += (expr.empty() ? "" : all ? " AND " : " OR ") + ("(" + group + ")");
    }
    return expr;
}

void Catalog::collect(const std::string& folded_query, const std::vector<std::string>& marked_words,
                      const std::string& expression, double penalty, std::map<std::string, double>& best) const {
    if (expression.empty()) return;
    sqlite::Statement find(*db_, "SELECT code, bm25(procedure_words, 0.0, 10.0, 3.0, 1.0, 0.5) FROM procedure_words "
                                 "WHERE procedure_words MATCH ? ORDER BY rank LIMIT 200");
    find.bind(1, expression);
    while (find.step()) {
        auto it = entries_.find(find.text_at(0));
        if (it == entries_.end()) continue;
        const Entry& e = it->second;
        double score = -find.double_at(1) + name_bonus(e.folded_name, folded_query) - penalty -
                       0.01 * static_cast<double>(e.folded_name.size());
        // Words typed with their marks ("hộ", "hôn") count for the names that have them.
        for (const auto& w : marked_words)
            if (e.cased_name.find(" " + w) != std::string::npos) score += 8;
        auto [pos, fresh] = best.emplace(it->first, score);
        if (!fresh) pos->second = std::max(pos->second, score);
    }
}

std::vector<Hit> Catalog::search(std::string_view query, size_t limit) const {
    if (!common::is_valid_utf8(query)) throw QueryError("the query is not valid UTF-8");
    if (common::utf8_length(query) > max_query_chars)
        throw QueryError("the query is longer than " + std::to_string(max_query_chars) + " characters");
    const auto words = split_words(folded(query));
    std::map<std::string, double> best;
    // A code typed or scanned exactly ("1.001193") is the answer.
    std::string code(query);
    code.erase(0, code.find_first_not_of(' '));
    code.erase(code.find_last_not_of(' ') + 1);
    if (entries_.contains(code)) best[code] = 1000;
    std::vector<std::string> marked;  // query words typed with diacritics, as typed
    for (const auto& w : split_words(fold_case(query).value_or("")))
        if (fold(w) != w) marked.push_back(w);
    if (!words.empty() && limit > 0) {
        for (const auto& alt : alternatives(words)) {
            const auto alt_words = split_words(alt);
            collect(alt, marked, match_expression(alt_words, true), 0, best);
            // Too few with every word: the ones with some words, well below.
            if (best.size() < limit) collect(alt, marked, match_expression(alt_words, false), 50, best);
        }
    }
    std::vector<Hit> hits;
    for (const auto& [c, score] : best) {
        const Entry& e = entries_.at(c);
        hits.push_back({c, e.name, e.field, e.level, score});
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.score != b.score ? a.score > b.score : a.code < b.code;
    });
    if (hits.size() > limit) hits.resize(limit);
    return hits;
}

std::optional<json> Catalog::procedure(std::string_view code) const {
    sqlite::Statement get(*db_, "SELECT record FROM procedures WHERE code = ?");
    get.bind(1, code);
    if (!get.step()) return std::nullopt;
    json record = json::parse(get.text_at(0));
    get.reset();
    return record;
}

std::vector<FieldCount> Catalog::fields() const {
    std::map<std::string, int> counts;
    for (const auto& [code, e] : entries_) ++counts[e.field];
    std::vector<FieldCount> out;
    for (const auto& [field, n] : counts) out.push_back({field, n});
    std::sort(out.begin(), out.end(), [](const FieldCount& a, const FieldCount& b) {
        return a.count != b.count ? a.count > b.count : a.field < b.field;
    });
    return out;
}

}  // namespace catalog
