// route_doc: the route table as the markdown matrix that docs/api.md quotes
// between <!-- routes:begin --> and <!-- routes:end -->. `queue-server routes`
// prints it to regenerate the doc; api_routes_test checks the doc against it
// byte for byte, so the doc cannot drift from the code.
#pragma once
#include <string>

namespace api {

// One markdown table, a row per route of route_table() in its order: method,
// path, a column per caller (anyone without a token, then every Role; ✓ where
// allowed, blank where refused), the body limit, where it runs, a summary.
std::string route_matrix_markdown();

}  // namespace api
