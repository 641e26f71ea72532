// BBS04 group signatures: every constant of the module in one place — domain-separation
// tags, encoding tags and versions, fixed sizes and the bounds applied to untrusted input.
// Constants only; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hc::groupsig {

// Domain-separation tags. Each hash of the module uses its own tag; changing anything that
// is hashed requires a new tag (the "-V1" suffix).
inline constexpr std::string_view kDstSignChallenge = "HC-GROUPSIG-BBS04-SIGN-CHALLENGE-V1";
inline constexpr std::string_view kDstOpenChallenge = "HC-GROUPSIG-BBS04-OPEN-CHALLENGE-V1";
inline constexpr std::string_view kDstGpkDigest = "HC-GROUPSIG-BBS04-GPK-DIGEST-V1";
inline constexpr std::string_view kDstMessageDigest = "HC-GROUPSIG-BBS04-MESSAGE-DIGEST-V1";
inline constexpr std::string_view kDstSignatureDigest = "HC-GROUPSIG-BBS04-SIGNATURE-DIGEST-V1";
inline constexpr std::string_view kDstKeyFileAad = "HC-GROUPSIG-KEYFILE-AAD-V1";

// Every encoding starts with the 4-byte magic, a kind byte and a version byte.
inline constexpr std::string_view kMagic = "HCGS";
inline constexpr std::uint8_t kEncodingVersion = 1;
enum class Kind : std::uint8_t {
  kGroupPublicKey = 1,
  kMemberSecret = 2,
  kOpenerSecret = 3,
  kIssuerSecret = 4,
  kRegistry = 5,
  kSignature = 6,
  kOpeningProof = 7,
  kRevocationRecord = 8,
  kKeyFile = 9,
};
inline constexpr std::size_t kHeaderBytes = 6;

inline constexpr std::size_t kG1Bytes = 48;
inline constexpr std::size_t kG2Bytes = 96;
inline constexpr std::size_t kFrBytes = 32;
inline constexpr std::size_t kEpochBytes = 8;
// sigma proper: 3 compressed G1 points and 6 scalars (the figure BBS04 and libgroupsig quote).
inline constexpr std::size_t kSignatureCoreBytes = 3 * kG1Bytes + 6 * kFrBytes;  // 336
inline constexpr std::size_t kSignatureBytes = kHeaderBytes + kEpochBytes + kSignatureCoreBytes;
inline constexpr std::size_t kGroupPublicKeyBytes =
    kHeaderBytes + kEpochBytes + 4 * kG1Bytes + 2 * kG2Bytes;

// Member names: 1..64 bytes of [A-Za-z0-9._-] (they appear in file names and on screen).
inline constexpr std::size_t kMaxNameBytes = 64;
// Bounds on untrusted input.
inline constexpr std::size_t kMaxMembers = 100000;
inline constexpr std::size_t kMaxEncodingBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxMessageBytes = 256 * 1024 * 1024;

}  // namespace hc::groupsig
