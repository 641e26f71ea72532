// Canonical encodings: round trips, and every malformed input rejected with a clear reason.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/params.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/verify.h"
#include "group_fixture.h"

namespace hc::groupsig {
namespace {

using testing::bytes_of;
using testing::make_group;

using Decoder = std::function<Status(ByteSpan)>;

template <typename F>
Decoder wrap(F f) {
  return [f](ByteSpan b) -> Status {
    auto r = f(b);
    return r.ok() ? Status::ok_status() : r.status();
  };
}

// Every strict prefix, an extra byte, and changed magic / kind / version must be rejected
// with kInvalidInput and a message naming the structure.
void expect_strict(const Bytes& good, const Decoder& decode, const std::string& what) {
  ASSERT_TRUE(decode(good).ok()) << what;
  for (std::size_t n = 0; n < good.size(); ++n) {
    Status st = decode(ByteSpan(good.data(), n));
    ASSERT_FALSE(st.ok()) << what << " prefix " << n;
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(st.message().find(what), std::string::npos) << st.message();
  }
  Bytes longer = good;
  longer.push_back(0);
  Status st = decode(longer);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("trailing"), std::string::npos) << st.message();
  for (std::size_t i = 0; i < kHeaderBytes; ++i) {
    Bytes bad = good;
    bad[i] ^= 0x40;
    EXPECT_EQ(decode(bad).code(), ErrorCode::kInvalidInput) << what << " header byte " << i;
  }
}

class EncodingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_ = make_group(2);
    msg_ = bytes_of("m");
    sig_ = sign(g_.members[0], msg_);
  }
  testing::TestGroup g_;
  Bytes msg_;
  Signature sig_;
};

TEST_F(EncodingTest, RoundTripsAreExact) {
  Bytes gpk = encode_gpk(g_.setup.gpk);
  EXPECT_EQ(gpk.size(), kGroupPublicKeyBytes);
  EXPECT_EQ(encode_gpk(decode_gpk(gpk).value()), gpk);
  Bytes sig = encode_signature(sig_);
  EXPECT_EQ(encode_signature(decode_signature(sig).value()), sig);
  Bytes reg = encode_registry(g_.setup.registry);
  EXPECT_EQ(encode_registry(decode_registry(reg).value()), reg);
  SecureBytes member = encode_member_key(g_.members[0]);
  Result<MemberKey> mk = decode_member_key(member.span());
  ASSERT_TRUE(mk.ok());
  EXPECT_EQ(mk->name, g_.members[0].name);
  EXPECT_TRUE(mk->x == g_.members[0].x && mk->a == g_.members[0].a);
  SecureBytes opener = encode_opener_key(g_.setup.opener);
  EXPECT_TRUE(decode_opener_key(opener.span())->xi1 == g_.setup.opener.xi1);
  SecureBytes issuer = encode_issuer_key(g_.setup.issuer);
  Result<IssuerKey> ik = decode_issuer_key(issuer.span());
  ASSERT_TRUE(ik.ok());
  EXPECT_EQ(ik->members.size(), 2u);
  EXPECT_TRUE(ik->gamma == g_.setup.issuer.gamma);
}

TEST_F(EncodingTest, TruncatedExtendedOrRelabelledEncodingsRejected) {
  expect_strict(encode_gpk(g_.setup.gpk), wrap(decode_gpk), "group public key");
  expect_strict(encode_signature(sig_), wrap(decode_signature), "signature");
  expect_strict(encode_registry(g_.setup.registry), wrap(decode_registry), "registry");
  OpeningProof proof{0, "hospital-0", Fr::one(), Fr::one(), Fr::one()};
  expect_strict(encode_opening_proof(proof), wrap(decode_opening_proof), "opening proof");
  Result<Revocation> rev =
      revoke(g_.setup.issuer, g_.setup.gpk, g_.setup.registry, testing::member_name(1));
  ASSERT_TRUE(rev.ok());
  expect_strict(encode_revocation(rev->record), wrap(decode_revocation), "revocation record");
  SecureBytes mk = encode_member_key(g_.members[0]);
  expect_strict(Bytes(mk.data(), mk.data() + mk.size()), wrap(decode_member_key), "member key");
  SecureBytes ok = encode_opener_key(g_.setup.opener);
  expect_strict(Bytes(ok.data(), ok.data() + ok.size()), wrap(decode_opener_key), "opener key");
  SecureBytes ik = encode_issuer_key(g_.setup.issuer);
  expect_strict(Bytes(ik.data(), ik.data() + ik.size()), wrap(decode_issuer_key), "issuer key");
  // A signature presented as a group key (kind mismatch) names the expected kind.
  Status st = decode_gpk(encode_signature(sig_)).status();
  EXPECT_NE(st.message().find("kind"), std::string::npos) << st.message();
}

TEST_F(EncodingTest, ScalarsAtOrAboveTheOrderRejected) {
  const Bytes good = encode_signature(sig_);
  // r - 1 is accepted, r and 2^256 - 1 are not, in each of the six scalar slots.
  static const char* kOrderHex = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
  Bytes order = from_hex(kOrderHex).value();
  for (std::size_t k = 0; k < 6; ++k) {
    std::size_t off = kHeaderBytes + kEpochBytes + 3 * kG1Bytes + k * kFrBytes;
    Bytes bad = good;
    std::copy(order.begin(), order.end(), bad.begin() + static_cast<std::ptrdiff_t>(off));
    Status st = decode_signature(bad).status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << k;
    std::fill(bad.begin() + static_cast<std::ptrdiff_t>(off),
              bad.begin() + static_cast<std::ptrdiff_t>(off + kFrBytes), 0xff);
    EXPECT_EQ(decode_signature(bad).status().code(), ErrorCode::kInvalidInput) << k;
  }
}

TEST_F(EncodingTest, BadPointsRejected) {
  const Bytes good = encode_signature(sig_);
  for (std::size_t k = 0; k < 3; ++k) {
    std::size_t off = kHeaderBytes + kEpochBytes + k * kG1Bytes;
    // Identity encoding (0xc0 followed by zeros): decodes as a point, refused by BBS04 rules.
    Bytes ident = good;
    ident[off] = 0xc0;
    std::fill(ident.begin() + static_cast<std::ptrdiff_t>(off + 1),
              ident.begin() + static_cast<std::ptrdiff_t>(off + kG1Bytes), 0);
    Status st = decode_signature(ident).status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(st.message().find("identity"), std::string::npos) << st.message();
    // Compression flag cleared, and an x with no point on the curve / not in the subgroup.
    Bytes flag = good;
    flag[off] &= 0x7f;
    EXPECT_EQ(decode_signature(flag).status().code(), ErrorCode::kInvalidInput);
    int rejected = 0;
    for (std::uint8_t delta = 1; delta <= 8; ++delta) {
      Bytes moved = good;
      moved[off + kG1Bytes - 1] ^= delta;
      rejected += decode_signature(moved).ok() ? 0 : 1;
    }
    // About half of all x are on the curve, and essentially none of those in G1.
    EXPECT_EQ(rejected, 8) << "T" << k + 1;
  }
}

TEST_F(EncodingTest, RegistryMustBeSortedUniqueAndWellNamed) {
  Registry reg = g_.setup.registry;
  ASSERT_EQ(reg.entries.size(), 2u);
  Registry unsorted = reg;
  std::swap(unsorted.entries[0], unsorted.entries[1]);
  EXPECT_EQ(decode_registry(encode_registry(unsorted)).status().code(), ErrorCode::kInvalidInput);
  Registry dup = reg;
  dup.entries[1].name = dup.entries[0].name;
  EXPECT_EQ(decode_registry(encode_registry(dup)).status().code(), ErrorCode::kInvalidInput);
  Registry same_a = reg;
  same_a.entries[1].a = same_a.entries[0].a;
  Status dup_a = decode_registry(encode_registry(same_a)).status();
  EXPECT_EQ(dup_a.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(dup_a.message().find("twice"), std::string::npos) << dup_a.message();
  Bytes bad_name = encode_registry(reg);
  // First name starts after header, epoch and count, behind its length byte.
  bad_name[kHeaderBytes + 8 + 4 + 1] = '/';
  Status st = decode_registry(bad_name).status();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("member name"), std::string::npos) << st.message();
  Bytes huge = encode_registry(Registry{});
  huge[kHeaderBytes + 8] = 0xff;  // count = 0xff000000
  EXPECT_EQ(decode_registry(huge).status().code(), ErrorCode::kInvalidInput);
}

TEST_F(EncodingTest, RandomCorruptionIsRejectedOrStaysCanonical) {
  // Flip random bytes: each decoder either rejects with kInvalidInput or (when the change
  // happens to keep the encoding valid) returns a value that re-encodes to the input.
  const std::vector<std::pair<Bytes, Decoder>> cases = {
      {encode_gpk(g_.setup.gpk), wrap(decode_gpk)},
      {encode_signature(sig_), wrap(decode_signature)},
      {encode_registry(g_.setup.registry), wrap(decode_registry)},
  };
  const std::size_t rounds = testing::scaled(300, 60);
  for (const auto& [good, decode] : cases) {
    for (std::size_t i = 0; i < rounds; ++i) {
      Bytes bad = good;
      Fr rnd = Fr::random();
      auto rb = rnd.to_bytes();
      bad[(rb[0] * 256u + rb[1]) % bad.size()] ^= static_cast<std::uint8_t>(rb[2] | 1);
      Status st = decode(bad);
      if (!st.ok()) {
        EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << st.to_string();
      }
    }
  }
  for (std::size_t i = 0; i < rounds; ++i) {
    Bytes bad = encode_signature(sig_);
    Fr rnd = Fr::random();
    auto rb = rnd.to_bytes();
    bad[(rb[0] * 256u + rb[1]) % bad.size()] ^= static_cast<std::uint8_t>(rb[2] | 1);
    Result<Signature> s = decode_signature(bad);
    if (s.ok()) {
      EXPECT_EQ(encode_signature(s.value()), bad);
      EXPECT_FALSE(verify(PreparedGroupKey(g_.setup.gpk, Precompute::kNone), msg_, s.value()).ok());
    }
  }
}

TEST(MemberNames, Rules) {
  EXPECT_TRUE(check_member_name("St.Mary_hospital-2").ok());
  EXPECT_FALSE(check_member_name("").ok());
  EXPECT_FALSE(check_member_name(".hidden").ok());
  EXPECT_FALSE(check_member_name("a/b").ok());
  EXPECT_FALSE(check_member_name("a b").ok());
  EXPECT_FALSE(check_member_name(std::string(kMaxNameBytes + 1, 'a')).ok());
  EXPECT_TRUE(check_member_name(std::string(kMaxNameBytes, 'a')).ok());
}

TEST(GroupKey, IdentityElementsRejected) {
  testing::TestGroup g = make_group(0);
  for (int which = 0; which < 6; ++which) {
    GroupPublicKey k = g.setup.gpk;
    switch (which) {
      case 0: k.g1 = G1::identity(); break;
      case 1: k.g2 = G2::identity(); break;
      case 2: k.h = G1::identity(); break;
      case 3: k.u = G1::identity(); break;
      case 4: k.v = G1::identity(); break;
      default: k.w = G2::identity(); break;
    }
    Status st = decode_gpk(encode_gpk(k)).status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << which;
    EXPECT_NE(st.message().find("identity"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace hc::groupsig
