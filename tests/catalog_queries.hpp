// catalog_queries: the realistic queries of tests/data/catalog_queries.tsv, for
// the search test (every one must hold) and the benchmark (share that holds).
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace testing {

struct CatalogQuery {
    std::string query;
    bool must_be_first = true;  // else: among the first three
    std::string procedure;
};

inline std::vector<CatalogQuery> load_catalog_queries(const std::string& path) {
    std::vector<CatalogQuery> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream cells(line);
        CatalogQuery q;
        std::string rank;
        std::getline(cells, q.query, '\t');
        std::getline(cells, rank, '\t');
        std::getline(cells, q.procedure);
        q.must_be_first = rank == "first";
        out.push_back(q);
    }
    return out;
}

}  // namespace testing
