// overloaded: a visitor made of lambdas, for std::visit over the event and command variants.
#pragma once

namespace common {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
// Needed by compilers without aggregate deduction (clang 14).
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace common
