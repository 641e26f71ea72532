// A single opener's BBS04-ElGamal key h = u^xi: its proof of knowledge of xi (accepted for the
// right context, refused for another context, another h, a changed byte, an identity key) and
// its encrypted key file (round trip, wrong passphrase, another kind of key file).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "common/file_io.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/store.h"

namespace hc::groupsig::elgamal {
namespace {

constexpr ScryptParams kFast{10, 8, 1};

ByteSpan text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

TEST(ElGamalOpenerKeyProof, ProvesKnowledgeForItsContextOnly) {
  const G1 u = G1::generator().mul_secret(Fr::random_nonzero());
  const FreshOpener fresh = new_opener_key(u);
  EXPECT_TRUE(u.mul_secret(fresh.opener.xi) == fresh.h);
  const OpenerKeyProof proof = prove_opener_key(text("chain-a"), u, fresh.h, fresh.opener);
  EXPECT_TRUE(verify_opener_key(text("chain-a"), u, fresh.h, proof));
  EXPECT_FALSE(verify_opener_key(text("chain-b"), u, fresh.h, proof));
  EXPECT_FALSE(verify_opener_key(text("chain-a"), u, new_opener_key(u).h, proof));
  EXPECT_FALSE(verify_opener_key(text("chain-a"), u, G1::identity(), proof));
  auto bytes = encode_opener_key_proof(proof);
  auto decoded = decode_opener_key_proof(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(verify_opener_key(text("chain-a"), u, fresh.h, *decoded));
  bytes[63] ^= 1;
  auto changed = decode_opener_key_proof(bytes);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(verify_opener_key(text("chain-a"), u, fresh.h, *changed));
  bytes.fill(0xff);  // scalars >= r
  EXPECT_EQ(decode_opener_key_proof(bytes).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(decode_opener_key_proof(ByteSpan(bytes).first(63)).status().code(), ErrorCode::kInvalidInput);
}

TEST(ElGamalOpenerKeyFile, RoundTripsUnderItsPassphraseOnly) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "hc-elgamal-opener-key-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const G1 u = G1::generator().mul_secret(Fr::random_nonzero());
  const FreshOpener fresh = new_opener_key(u);
  const auto file = dir / "elgamal-opener.key";
  ASSERT_TRUE(save_opener_key_file(file, fresh.opener, fresh.h, text("correct horse"), kFast).ok());
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  auto loaded = load_opener_key_file(file, text("correct horse"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_TRUE(loaded->xi == fresh.opener.xi);
  EXPECT_EQ(load_opener_key_file(file, text("wrong horse")).status().code(), ErrorCode::kAuthFailed);
  // The secret is not in the file in the clear.
  const Bytes raw = read_file(file, 1 << 16).value();
  const auto xi = fresh.opener.xi.to_bytes();
  EXPECT_EQ(std::search(raw.begin(), raw.end(), xi.begin(), xi.end()), raw.end());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hc::groupsig::elgamal
