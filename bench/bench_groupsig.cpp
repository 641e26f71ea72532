// Benchmarks of BBS04 group signatures: sign, verify (and its 2-thread throughput), open,
// judge, revoke and key update, plus the encoded sizes as counters. Fixed inputs; keys and
// nonces come from the RNG (timings do not depend on their values).
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/fixed_base.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/verify.h"

namespace hc::groupsig {
namespace {

constexpr std::size_t kMembers = 10;

struct Fixture {
  GroupSetup setup = groupsig::setup();
  std::vector<MemberKey> members;
  Bytes message;
  Fixture() {
    for (std::size_t i = 0; i < kMembers; ++i) {
      members.push_back(enroll(setup.issuer, setup.gpk, setup.registry, "member-" + std::to_string(i)).value());
    }
    message = Bytes(256, 0x5a);  // a record digest plus metadata, as the ledger signs
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_Sign(benchmark::State& state) {
  const Fixture& f = fixture();
  Signer signer(f.members[0]);
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(f.message));
}
BENCHMARK(BM_Sign)->Unit(benchmark::kMicrosecond);

void BM_Verify(benchmark::State& state) {
  const Fixture& f = fixture();
  static const PreparedGroupKey key(f.setup.gpk);
  static const Signature sig = sign(f.members[1], f.message);
  for (auto _ : state) {
    Status st = verify(key, f.message, sig);
    if (!st.ok()) state.SkipWithError("signature did not verify");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Verify)->Unit(benchmark::kMicrosecond)->Threads(1)->Threads(2)->UseRealTime();

void BM_DecodeAndVerify(benchmark::State& state) {
  const Fixture& f = fixture();
  const PreparedGroupKey key(f.setup.gpk);
  const Bytes sig = encode_signature(sign(f.members[1], f.message));
  for (auto _ : state) {
    Result<Signature> s = decode_signature(sig);
    if (!s.ok() || !verify(key, f.message, s.value()).ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_DecodeAndVerify)->Unit(benchmark::kMicrosecond);

void BM_PrepareGroupKey(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(PreparedGroupKey(f.setup.gpk));
}
BENCHMARK(BM_PrepareGroupKey)->Unit(benchmark::kMicrosecond);

void BM_Open(benchmark::State& state) {
  const Fixture& f = fixture();
  const PreparedGroupKey key(f.setup.gpk);
  const Signature sig = sign(f.members[kMembers - 1], f.message);
  for (auto _ : state) {
    benchmark::DoNotOptimize(open(key, f.setup.opener, f.setup.registry, f.message, sig));
  }
}
BENCHMARK(BM_Open)->Unit(benchmark::kMicrosecond);

// Only the decryption of A (what libgroupsig's open measures): no verification, no proof.
void BM_OpenDecryptOnly(benchmark::State& state) {
  const Fixture& f = fixture();
  const Signature sig = sign(f.members[kMembers - 1], f.message);
  for (auto _ : state) benchmark::DoNotOptimize(recover_signer_key(f.setup.opener, sig));
}
BENCHMARK(BM_OpenDecryptOnly)->Unit(benchmark::kMicrosecond);

// The same for a BBS04-ElGamal signature (what the manager of a genesis-7 single-manager chain
// opens, issue 18 items 2 and 4): A = T2 / T1^xi, one constant-time G1 multiplication.
void BM_ElGamalOpenDecryptOnly(benchmark::State& state) {
  const Fixture& f = fixture();
  const elgamal::FreshOpener fresh = elgamal::new_opener_key(f.setup.gpk.u);
  const elgamal::MemberKey member = elgamal::member_key_with_opener_key(f.members[kMembers - 1], fresh.h).value();
  const elgamal::Signature sig = elgamal::sign(member, f.message);
  if (!(elgamal::recover_signer_key(fresh.opener, sig) == member.a)) state.SkipWithError("wrong signer");
  for (auto _ : state) benchmark::DoNotOptimize(elgamal::recover_signer_key(fresh.opener, sig));
}
BENCHMARK(BM_ElGamalOpenDecryptOnly)->Unit(benchmark::kMicrosecond);

void BM_Judge(benchmark::State& state) {
  const Fixture& f = fixture();
  const PreparedGroupKey key(f.setup.gpk);
  const Signature sig = sign(f.members[2], f.message);
  const Opening o = open(key, f.setup.opener, f.setup.registry, f.message, sig).value();
  for (auto _ : state) {
    if (!judge(key, f.setup.registry, f.message, sig, o.proof, o.member).ok()) {
      state.SkipWithError("judge rejected");
    }
  }
}
BENCHMARK(BM_Judge)->Unit(benchmark::kMicrosecond);

// The issuer's revoke (record + new key + the registry of kMembers - 1 moved members).
void BM_Revoke(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    state.PauseTiming();
    IssuerKey issuer = f.setup.issuer;
    state.ResumeTiming();
    benchmark::DoNotOptimize(revoke(issuer, f.setup.gpk, f.setup.registry, "member-0"));
  }
}
BENCHMARK(BM_Revoke)->Unit(benchmark::kMicrosecond);

// A member's update from the public record (record check, A' and the new key's check).
void BM_UpdateMemberKey(benchmark::State& state) {
  const Fixture& f = fixture();
  IssuerKey issuer = f.setup.issuer;
  const Revocation rev = revoke(issuer, f.setup.gpk, f.setup.registry, "member-0").value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(update_member_key(f.members[1], rev.record));
  }
}
BENCHMARK(BM_UpdateMemberKey)->Unit(benchmark::kMicrosecond);

// The building blocks of signing: constant-time fixed-base G1 and GT exponentiation.
void BM_FixedBaseG1Secret(benchmark::State& state) {
  const FixedBaseG1 table(fixture().setup.gpk.h);
  const Fr k = Fr::random();
  for (auto _ : state) benchmark::DoNotOptimize(table.pow_secret(k));
}
BENCHMARK(BM_FixedBaseG1Secret)->Unit(benchmark::kMicrosecond);

void BM_FixedBaseGTSecret(benchmark::State& state) {
  const FixedBaseGT table(bls12_381::pairing(fixture().setup.gpk.h, fixture().setup.gpk.g2));
  const Fr k = Fr::random();
  for (auto _ : state) benchmark::DoNotOptimize(table.pow_secret(k));
}
BENCHMARK(BM_FixedBaseGTSecret)->Unit(benchmark::kMicrosecond);

void BM_BuildSigner(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(Signer(f.members[0]));
}
BENCHMARK(BM_BuildSigner)->Unit(benchmark::kMillisecond);

void BM_SignOneShot(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(sign(f.members[0], f.message));
}
BENCHMARK(BM_SignOneShot)->Unit(benchmark::kMicrosecond);

void BM_Sizes(benchmark::State& state) {
  const Fixture& f = fixture();
  const Signature sig = sign(f.members[0], f.message);
  for (auto _ : state) benchmark::DoNotOptimize(encode_signature(sig));
  IssuerKey issuer = f.setup.issuer;
  const Revocation rev = revoke(issuer, f.setup.gpk, f.setup.registry, "member-0").value();
  const PreparedGroupKey key(f.setup.gpk);
  const Opening o = open(key, f.setup.opener, f.setup.registry, f.message, sig).value();
  state.counters["signature_bytes"] = static_cast<double>(encode_signature(sig).size());
  state.counters["signature_core_bytes"] = 336;
  state.counters["gpk_bytes"] = static_cast<double>(encode_gpk(f.setup.gpk).size());
  state.counters["opening_proof_bytes"] = static_cast<double>(encode_opening_proof(o.proof).size());
  state.counters["revocation_bytes"] = static_cast<double>(encode_revocation(rev.record).size());
  state.counters["member_key_bytes"] = static_cast<double>(encode_member_key(f.members[0]).size());
}
BENCHMARK(BM_Sizes);

}  // namespace
}  // namespace hc::groupsig

BENCHMARK_MAIN();
