// Overloaded{lambdas...}: one callable made of several lambdas, for std::visit over a variant
// with one lambda per alternative.
#pragma once

namespace hc {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace hc
