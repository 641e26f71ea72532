// The node's intake signing (part of bench_chain): what node::MemberSigner costs per record a
// doctor submits, in each mode. Single-manager: BBS04 on a version-1 record. Trustees: BBS04-
// ElGamal under the trustees' opener key h_0 on a version-2 record, including what the node
// reads from its committed ledger per record (the access key id's key epoch) and the cached
// prepared signer. Seeded chains from the ledger's test fixtures; the ElGamal chain's DKG is
// real (three of four trustees deal the access and opener keys).
#include <benchmark/benchmark.h>

#include <memory>

#include "chain/formed_access_key.h"
#include "chain/limits.h"
#include "chain/sealed_record_conversion.h"
#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "node/member_signer.h"

namespace hc::chain {
namespace {

namespace th = crypto::threshold;

// The epoch-0 member key of "bench-hospital" in the trustees chains' group, through the one
// enrollment per name that bench_chain_bbs04.cpp's fixture shares (enrolling the name here
// again aborted the program when both benchmarks ran: the issuer refuses a name twice).
std::unique_ptr<groupsig::MemberKey> member_signer_bench_member() {
  return std::make_unique<groupsig::MemberKey>(testing::trustees_chain_member("bench-hospital"));
}

struct TrusteesSignFixture {
  testing::TrusteesChain chain{4, 3, "bench-member-signer"};
  node::MemberSigner signer{member_signer_bench_member()};
  RecordTx record;

  TrusteesSignFixture() {
    const th::AccessKeyPublic key = testing::form_trustee_keys(chain, 3, true).value().access_key;
    crypto::SerialNumber serial{};
    const Serial s = chain.c.serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    auto sealed = crypto::seal_payload_v2_with(Bytes(256, 0x5a), serial, key.group_key,
                                               crypto::P256Scalar::random_nonzero(), crypto::GcmNonce{1});
    record.sealed = chain_record_of(sealed.value()).value();
  }
};

void BM_NodeSignRecordBbs04(benchmark::State& state) {
  groupsig::GroupSetup& group = testing::trustees_chain_group();
  testing::TestConsortium c{4, groupsig::encode_gpk(group.gpk)};
  node::MemberSigner signer(member_signer_bench_member());
  RecordTx r = c.make_record(c.serial_of(1), 0, 256);
  for (auto _ : state) {
    if (!signer.sign(r, 0, c.genesis()).ok()) state.SkipWithError("BBS04 signing refused");
    benchmark::DoNotOptimize(r.group_signature.data());
  }
}
BENCHMARK(BM_NodeSignRecordBbs04)->Unit(benchmark::kMicrosecond);

void BM_NodeSignRecordElGamal(benchmark::State& state) {
  static TrusteesSignFixture f;
  const StoreTrusteeView view(*f.chain.store);
  RecordTx r = f.record;
  if (!f.signer.sign(r, 0, view).ok()) state.SkipWithError("ElGamal signing refused");  // builds the tables
  for (auto _ : state) {
    if (!f.signer.sign(r, 0, view).ok()) state.SkipWithError("ElGamal signing refused");
    benchmark::DoNotOptimize(r.group_signature.data());
  }
}
BENCHMARK(BM_NodeSignRecordElGamal)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hc::chain
