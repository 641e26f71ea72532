// DKG deals in the proven form on the chain (docs/ledger.md, wire kinds 29 and 30): a
// version-6 genesis takes only them; a version-4 chain (made before the ephemeral proofs) still
// takes the legacy forms 6 / 13 and judges their complaints as before, so its history verifies;
// the wire kind and the deal's form always agree, and a deal and its opener deal share a form.
#include <gtest/gtest.h>

#include "chain/limits.h"
#include "chain/trustees_chain.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"

namespace hc::chain {
namespace {

using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;

constexpr std::size_t kWireKindOffset = 5;  // "HCTX" | format version u8 | wire kind u8

th::DkgDeal legacy(th::DkgDeal deal) {
  deal.box_proofs.clear();
  return deal;
}

th::OpenerDeal legacy(th::OpenerDeal deal) {
  deal.box_proofs.clear();
  return deal;
}

TEST(TrusteesProvenDeals, AVersion6ChainTakesOnlyProvenDeals) {
  TrusteesChain chain(4, 3, "proven6", TrusteesChain::ProvenDkgDeals{});
  EXPECT_EQ(chain.c.genesis().encoding_version(), kGenesisVersionProvenDkg);
  const th::DkgDeal deal = th::make_deal(chain.params(), 1).value();
  const th::OpenerDeal opener = th::make_opener_deal(chain.opener_params(), 1).value();

  const Bytes proven = chain.deal_tx(deal);
  const Bytes proven_with_opener = chain.deal_tx(deal, opener);
  EXPECT_EQ(proven[kWireKindOffset], kProvenDkgDealWireKind);
  EXPECT_EQ(proven_with_opener[kWireKindOffset], kProvenDkgDealWithOpenerWireKind);
  EXPECT_TRUE(chain.app->check_tx(proven_with_opener).ok()) << chain.app->check_tx(proven_with_opener).to_string();
  const Bytes proven_other = chain.deal_tx(th::make_deal(chain.params(), 2).value());  // check_tx claims dealer 1
  EXPECT_TRUE(chain.app->check_tx(proven_other).ok()) << chain.app->check_tx(proven_other).to_string();

  const Bytes old_form = chain.deal_tx(legacy(deal));
  const Bytes old_form_with_opener = chain.deal_tx(legacy(deal), legacy(opener));
  EXPECT_EQ(old_form[kWireKindOffset], static_cast<std::uint8_t>(TxKind::kDkgDeal));
  EXPECT_EQ(old_form_with_opener[kWireKindOffset], kDkgDealWithOpenerWireKind);
  for (const Bytes& tx : {old_form, old_form_with_opener}) {
    EXPECT_EQ(chain.app->check_tx(tx).message(),
              "dkg deal: this chain takes only deals in the proven form (wire kinds 29 and 30)");
  }
  EXPECT_FALSE(chain.commit({old_form_with_opener}).ok());
  ASSERT_TRUE(chain.commit({proven_with_opener}).ok());
}

// History: a chain made before the proofs committed legacy deals and a complaint about one;
// it still takes them and convicts the dealer exactly as before.
TEST(TrusteesProvenDeals, AVersion4ChainStillTakesAndJudgesLegacyDeals) {
  TrusteesChain chain(4, 3, "legacy4");
  EXPECT_EQ(chain.c.genesis().encoding_version(), kGenesisVersionTrustees);
  const th::DkgParams params = chain.params();
  std::vector<th::DkgDeal> deals;
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= 4; ++i) {
    th::DkgDeal deal = th::make_deal(params, i).value();
    if (i == 2) {  // a bad share for trustee 1
      const th::ProvenBox sealed = th::seal_dkg_share(params, 2, 1, P256Scalar::random_nonzero()).value();
      deal.share_boxes[0] = sealed.box;
      deal.box_proofs[0] = sealed.ephemeral_proof;
    }
    deals.push_back(deal);
    const th::OpenerDeal opener = th::make_opener_deal(chain.opener_params(), i).value();
    txs.push_back(i == 4 ? chain.deal_tx(deal, opener) : chain.deal_tx(legacy(deal), legacy(opener)));
  }
  for (const Bytes& tx : txs) ASSERT_TRUE(chain.app->check_tx(tx).ok()) << chain.app->check_tx(tx).to_string();
  ASSERT_TRUE(chain.commit(txs).ok());

  // Today's code reveals no S about a legacy box; the complaint an older node made (the same
  // bytes: its proof does not depend on the box proofs) is still judged as before.
  EXPECT_FALSE(th::make_complaint(params, legacy(deals[1]), 1, chain.secret(1)).ok());
  const th::DkgComplaint complaint = th::make_complaint(params, deals[1], 1, chain.secret(1)).value();
  chain.advance_to(kDkgWindowBlocks);
  ASSERT_TRUE(chain.commit({chain.complaint_tx(complaint)}).ok());
  chain.advance_to(2 * kDkgWindowBlocks);
  ASSERT_TRUE(chain.commit({}).ok());
  auto stored = read_current_access_key(StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(stored.has_value() && stored->formed.has_value());
  EXPECT_EQ(stored->formed->disqualified, std::vector<std::uint16_t>{2});
  auto complaints = read_complaints(StoreTrusteeView(*chain.store), 0).value();
  ASSERT_EQ(complaints.size(), 1u);
  EXPECT_EQ(complaints[0].status, ComplaintStatus::kConvictsDealer);
}

// One encoding per value: the wire kind says the deal's form, and a deal and its opener deal
// are in the same form.
TEST(TrusteesProvenDeals, TheWireKindAndTheFormAgree) {
  TrusteesChain chain(4, 3, "wireform");
  const th::DkgDeal deal = th::make_deal(chain.params(), 1).value();
  const th::OpenerDeal opener = th::make_opener_deal(chain.opener_params(), 1).value();
  Bytes proven = chain.deal_tx(deal);
  proven[kWireKindOffset] = static_cast<std::uint8_t>(TxKind::kDkgDeal);
  EXPECT_EQ(decode_transaction(proven).status().message(),
            "dkg deal: a deal in the proven form travels as wire kind 29 or 30");
  Bytes old_form = chain.deal_tx(legacy(deal));
  old_form[kWireKindOffset] = kProvenDkgDealWireKind;
  EXPECT_EQ(decode_transaction(old_form).status().message(),
            "dkg deal: wire kinds 29 and 30 carry a deal in the proven form");

  DkgDealTx mixed{chain.chain_id(), 0, 1, th::encode_deal(chain.params(), deal),
                  th::encode_opener_deal(chain.opener_params(), legacy(opener)), {}};
  EXPECT_EQ(check_transaction_fields(Transaction(mixed)).message(),
            "dkg deal: the deal and the opener deal must both be in the proven form or both not");
  mixed.deal = th::encode_deal(chain.params(), legacy(deal));
  mixed.opener_deal = th::encode_opener_deal(chain.opener_params(), opener);
  EXPECT_FALSE(check_transaction_fields(Transaction(mixed)).ok());
}

// A 64-trustee deal in the proven form fits its bound (t = 64 commitments).
TEST(TrusteesProvenDeals, TheLargestProvenDealsFitTheirBounds) {
  EXPECT_LE(4 + 14 + 32 + 2 + 2 + 64 * 65 + 2 + 64 * (th::kShareBoxBytes + th::kDleqProofBytes), kMaxDkgDealBytes);
  EXPECT_LE(4 + 21 + 32 + 2 + 2 + 64 * 48 + 2 + 64 * (th::kShareBoxBytes + th::kDleqProofBytes), kMaxOpenerDealBytes);
}

}  // namespace
}  // namespace hc::chain
