// index: the in-memory word index and ranked search (see index.hpp).
#include "catalog/index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "common/text.hpp"
#include "catalog/fold.hpp"

namespace catalog {

namespace {

constexpr double name_weight = 4.0, near_weight = 0.6, prefix_weight = 0.8, partial_penalty = 50;

std::string join(const std::vector<std::string>& words, size_t from = 0, size_t to = std::string::npos) {
    std::string out;
    for (size_t i = from; i < std::min(to, words.size()); ++i) out += (out.empty() ? "" : " ") + words[i];
    return out;
}

}  // namespace

Synonyms::Synonyms(std::string_view tsv) {
    std::istringstream lines{std::string(tsv)};
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        auto term = split_words(folded(line.substr(0, tab)));
        const std::string wording = folded(line.substr(tab + 1));
        if (!term.empty() && !wording.empty()) pairs.emplace_back(std::move(term), wording);
    }
}

Index::Index(int64_t version, const std::vector<Row>& rows, std::shared_ptr<const Synonyms> synonyms)
    : version_(version), synonyms_(std::move(synonyms)) {
    for (const auto& row : rows) {
        const auto doc = static_cast<uint32_t>(entries_.size());
        Entry e{row.code, row.name, row.field, row.level, folded(row.name), ""};
        e.cased_name = " " + fold_case(e.name).value_or("") + " ";
        index(doc, e.folded_name, name_postings_);
        index(doc, row.words, text_postings_);
        by_code_[e.code] = doc;
        entries_.push_back(std::move(e));
    }
    count_fields();
}

void Index::index(uint32_t doc, const std::string& folded_words, Postings& postings) {
    for (auto& w : split_words(folded_words)) {
        auto& docs = postings[w];
        if (docs.empty() || docs.back() != doc) docs.push_back(doc);
        vocabulary_.insert(std::move(w));
    }
}

// Vocabulary words one edit (delete, insert, replace, swap of neighbours) away.
// Words of three letters only get a missing letter put back ("snh" → "sinh"):
// they have too many neighbours otherwise.
std::vector<std::string> Index::near_words(const std::string& word) const {
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

// What one query word may match: itself, its near words, and, if it is the word
// being typed, every vocabulary word it begins. Each with its weight.
std::vector<Index::Term> Index::terms(const std::string& word, bool last) const {
    std::vector<Term> out;
    const double n = static_cast<double>(std::max<size_t>(entries_.size(), 1));
    auto add = [&](const std::string& w, double factor, bool names_only = false) {
        for (const Postings* p : {&name_postings_, &text_postings_}) {
            if (names_only && p == &text_postings_) continue;
            auto it = p->find(w);
            if (it == p->end()) continue;
            const double idf = std::log(1.0 + n / static_cast<double>(it->second.size()));
            out.push_back({&it->second, idf * factor * (p == &name_postings_ ? name_weight : 1.0)});
        }
    };
    add(word, 1.0);
    // Words being typed are looked for in names only: a half word found in some
    // document's list is noise, and it would cost the most on the shortest prefixes.
    if (last)
        for (auto it = vocabulary_.upper_bound(word); it != vocabulary_.end() && it->starts_with(word); ++it)
            add(*it, prefix_weight, true);
    if (out.empty() || !last)
        for (const auto& near : near_words(word)) add(near, near_weight);
    return out;
}

// The words themselves, plus a version with each known colloquial term replaced
// by the catalog's wording.
std::vector<std::string> Index::alternatives(const std::vector<std::string>& words) const {
    std::vector<std::string> out{join(words)};
    for (const auto& [term, wording] : synonyms_->pairs) {
        for (size_t i = 0; i + term.size() <= words.size(); ++i) {
            if (!std::equal(term.begin(), term.end(), words.begin() + static_cast<ptrdiff_t>(i))) continue;
            out.push_back(join(split_words(join(words, 0, i) + " " + wording + " " + join(words, i + term.size()))));
            break;
        }
    }
    return out;
}

// Scores every procedure holding at least one of the query's words into
// `best`: those holding all of them at full score, the others far below (and
// only looked at when too few hold all). Words the catalog can't match at all
// ("làm", "xin") are left out rather than failing the query.
void Index::score(const std::string& folded_query, const std::vector<std::string>& marked_words, size_t limit,
                    std::vector<double>& best) const {
    const auto words = split_words(folded_query);
    const size_t n = entries_.size();
    // Each query word counts once per procedure, by its best match there (the
    // word in the name beats a prefix of some other word of a long name).
    std::vector<double> sum(n, 0.0), word_score(n, 0.0);
    std::vector<uint16_t> groups(n, 0), last_group(n, UINT16_MAX);
    std::vector<uint32_t> touched;
    uint16_t matched_groups = 0;
    for (size_t i = 0; i < words.size() && i < UINT16_MAX; ++i) {
        const auto ts = terms(words[i], i + 1 == words.size());
        if (ts.empty()) continue;
        touched.clear();
        for (const Term& t : ts)
            for (uint32_t doc : *t.docs) {
                if (last_group[doc] != matched_groups) {
                    last_group[doc] = matched_groups;
                    ++groups[doc];
                    word_score[doc] = t.weight;
                    touched.push_back(doc);
                } else {
                    word_score[doc] = std::max(word_score[doc], t.weight);
                }
            }
        for (uint32_t doc : touched) sum[doc] += word_score[doc];
        ++matched_groups;
    }
    if (matched_groups == 0) return;
    const size_t complete = static_cast<size_t>(std::count(groups.begin(), groups.end(), matched_groups));
    const uint16_t least = complete >= limit ? matched_groups : 1;
    const std::string phrase = " " + folded_query;
    std::vector<std::string> marked;
    for (const auto& w : marked_words) marked.push_back(" " + w);
    for (uint32_t doc = 0; doc < n; ++doc) {
        if (groups[doc] < least) continue;
        const Entry& e = entries_[doc];
        double s = sum[doc] - 0.01 * static_cast<double>(e.folded_name.size()) -
                   partial_penalty * (matched_groups - groups[doc]);
        // Only a name holding every word can hold the query or all its marked words.
        if (groups[doc] == matched_groups) {
            if (e.folded_name == folded_query) s += 100;
            else if (e.folded_name.starts_with(folded_query)) s += 40;
            else if (e.folded_name.find(phrase) != std::string::npos) s += 20;
            // Words typed with their marks ("hộ", "hôn") count for the names that have them.
            for (const auto& w : marked)
                if (e.cased_name.find(w) != std::string::npos) s += 8;
        }
        best[doc] = std::max(best[doc], s);
    }
}

std::vector<Hit> Index::search(std::string_view query, size_t limit) const {
    if (!common::is_valid_utf8(query)) throw QueryError("the query is not valid UTF-8");
    if (common::utf8_length(query) > max_query_chars)
        throw QueryError("the query is longer than " + std::to_string(max_query_chars) + " characters");
    if (limit == 0 || entries_.empty()) return {};
    const auto words = split_words(folded(query));
    std::vector<double> best(entries_.size(), -std::numeric_limits<double>::infinity());
    // A code typed or scanned exactly ("1.001193") is the answer.
    std::string code(query);
    code.erase(0, code.find_first_not_of(' '));
    code.erase(code.find_last_not_of(' ') + 1);
    if (auto it = by_code_.find(code); it != by_code_.end()) best[it->second] = 1000;
    std::vector<std::string> marked;  // query words typed with diacritics, as typed
    for (const auto& w : split_words(fold_case(query).value_or("")))
        if (fold(w) != w) marked.push_back(w);
    if (!words.empty())
        for (const auto& alt : alternatives(words)) score(alt, marked, limit, best);

    std::vector<std::pair<double, uint32_t>> ranked;
    for (uint32_t doc = 0; doc < best.size(); ++doc)
        if (best[doc] > -std::numeric_limits<double>::infinity()) ranked.emplace_back(best[doc], doc);
    const size_t n = std::min(limit, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<ptrdiff_t>(n), ranked.end(),
                      [&](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first > b.first : entries_[a.second].code < entries_[b.second].code;
                      });
    std::vector<Hit> hits;
    for (size_t i = 0; i < n; ++i) {
        const Entry& e = entries_[ranked[i].second];
        hits.push_back({e.code, e.name, e.field, e.level, ranked[i].first});
    }
    return hits;
}

std::vector<Hit> Index::in_field(std::string_view field) const {
    std::vector<const Entry*> in;
    for (const auto& e : entries_)
        if (e.field == field) in.push_back(&e);
    // Folded, so "Đăng ký" sorts among the d's and not after z.
    std::sort(in.begin(), in.end(), [](const Entry* a, const Entry* b) { return a->folded_name < b->folded_name; });
    std::vector<Hit> hits;
    for (const Entry* e : in) hits.push_back({e->code, e->name, e->field, e->level, 0});
    return hits;
}

void Index::count_fields() {
    std::map<std::string, FieldCount> by_field;
    for (const auto& e : entries_) {
        FieldCount& f = by_field[e.field];
        f.field = e.field;
        ++f.count;
        ++f.levels[e.level];
    }
    for (auto& [name, f] : by_field) fields_.push_back(std::move(f));
    std::sort(fields_.begin(), fields_.end(), [](const FieldCount& a, const FieldCount& b) {
        return a.count != b.count ? a.count > b.count : a.field < b.field;
    });
}

}  // namespace catalog
