// The trustee worker's complaints (node/trustee_dkg_duties.cpp): on a chain made before the
// ephemeral proofs (genesis version 4, which still takes legacy deals) a trustee whose share
// from a legacy deal is bad posts no complaint (it would reveal S = sk_j * E for a box whose
// ephemeral nobody proved, opening any box with a copied ephemeral), while it still complains
// about a bad share in a deal of the proven form.
#include <gtest/gtest.h>

#include "chain/limits.h"
#include "chain/trustees_chain.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "node/trustee_duties.h"

namespace hc::node {
namespace {

namespace th = crypto::threshold;
using chain::testing::TrusteesChain;
using crypto::P256Point;
using crypto::P256Scalar;

// Dealer `dealer`'s deals with a bad share for trustee 1 in both keys; `legacy`: without proofs.
Bytes bad_deal_tx(const TrusteesChain& chain, std::uint16_t dealer, bool legacy) {
  th::DkgDeal deal = th::make_deal(chain.params(), dealer).value();
  const th::ProvenBox sealed = th::seal_dkg_share(chain.params(), dealer, 1, P256Scalar::random_nonzero()).value();
  deal.share_boxes[0] = sealed.box;
  deal.box_proofs[0] = sealed.ephemeral_proof;
  th::OpenerDeal opener = th::make_opener_deal(chain.opener_params(), dealer).value();
  const th::ProvenBox opener_sealed =
      th::seal_opener_share(chain.opener_params(), dealer, 1, th::Fr::random_nonzero()).value();
  opener.share_boxes[0] = opener_sealed.box;
  opener.box_proofs[0] = opener_sealed.ephemeral_proof;
  if (legacy) {
    deal.box_proofs.clear();
    opener.box_proofs.clear();
  }
  return chain.deal_tx(deal, opener);
}

TEST(TrusteeDkgComplaints, NoComplaintAboutALegacyDealOnlyAboutAProvenOne) {
  TrusteesChain chain(4, 3, "worker-complaints");
  ASSERT_TRUE(chain.commit({bad_deal_tx(chain, 2, true), bad_deal_tx(chain, 3, false)}).ok());
  chain.advance_to(chain::kDkgWindowBlocks);  // the next block is in the complaint window
  TrusteeIdentity identity;
  identity.index = 1;
  identity.secret = chain.secret(1);
  identity.public_key = P256Point::base_mul(chain.secret(1)).encode();
  TrusteeDuties duties(*chain.store, std::move(identity));
  TrusteeStatus status;
  auto txs = duties.dkg_step(status);
  ASSERT_TRUE(txs.ok()) << txs.status().to_string();
  EXPECT_EQ(status.phase, TrusteeDkgPhase::kComplaints);
  std::vector<std::string> labels;
  for (const TrusteeTx& tx : *txs) labels.push_back(tx.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"dkg complaint against dealer 3 (key epoch 0)",
                                              "opener dkg complaint against dealer 3 (key epoch 0)"}));
  for (const TrusteeTx& tx : *txs) EXPECT_TRUE(chain.app->check_tx(tx.encoding).ok()) << tx.label;
}

}  // namespace
}  // namespace hc::node
