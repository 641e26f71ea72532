// Shared helpers for the group-signature tests: a group with enrolled members, and a knob
// that keeps the number of pairings small under AddressSanitizer (pairings are slow there).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// `release` iterations in optimized builds, `sanitized` under ASan.
constexpr std::size_t scaled(std::size_t release, std::size_t sanitized) {
  return kSanitized ? sanitized : release;
}

struct TestGroup {
  GroupSetup setup;
  std::vector<MemberKey> members;
};

inline std::string member_name(std::size_t i) { return "hospital-" + std::to_string(i); }

inline TestGroup make_group(std::size_t members) {
  TestGroup g{setup(), {}};
  for (std::size_t i = 0; i < members; ++i) {
    Result<MemberKey> key = enroll(g.setup.issuer, g.setup.gpk, g.setup.registry, member_name(i));
    EXPECT_TRUE(key.ok()) << key.status().to_string();
    if (key.ok()) g.members.push_back(key.value());
  }
  return g;
}

inline Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace hc::groupsig::testing
