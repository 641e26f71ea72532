// The opener-key half of the trustees' DKG on the chain (issue 13 item 4; docs/ledger.md,
// "Trustees"): the opener deals and the complaints against them as committed, stored as they
// are under "trustees/opener_deal/" and "trustees/opener_complaint/". The ledger (hc_chain)
// has no pairing code, so it checks these transactions for framing, windows and repeats only;
// whether a deal is well formed and who a complaint convicts is decided, deterministically
// from this committed transcript, where the opener key is computed (chain/opener_key_state.h).
// Pure functions over a TrusteeStateView (thread-safe as its reads).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "chain/trustee_state.h"

namespace hc::chain {

// An opener complaint's parties, read from its encoding's fixed header (LP tag || params
// digest || u16 complainer || u16 dealer || ...). kInvalidInput unless it is exactly
// crypto::threshold::kOpenerComplaintBytes long with the opener complaint's tag.
struct OpenerComplaintParties {
  std::uint16_t complainer = 0;
  std::uint16_t dealer = 0;
};
Result<OpenerComplaintParties> opener_complaint_parties(ByteSpan complaint);

struct StoredOpenerComplaint {
  std::uint16_t complainer = 0;
  std::uint16_t dealer = 0;
  Bytes complaint;  // the threshold module's encoding
};

TrusteeStateEntry opener_deal_entry(std::uint64_t key_epoch, std::uint16_t dealer, const Bytes& opener_deal);
TrusteeStateEntry opener_complaint_entry(std::uint64_t key_epoch, const StoredOpenerComplaint& complaint);

// Readers; kCorrupt when a stored entry is malformed.
Result<std::optional<Bytes>> read_opener_deal(const TrusteeStateView& store, std::uint64_t key_epoch,
                                              std::uint16_t dealer);
// Every opener deal of the epoch by dealer, ascending.
Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_opener_deals(const TrusteeStateView& store,
                                                                        std::uint64_t key_epoch);
Result<bool> has_opener_complaint(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t complainer,
                                  std::uint16_t dealer);
// Every opener complaint of the epoch, by (complainer, dealer) ascending.
Result<std::vector<StoredOpenerComplaint>> read_opener_complaints(const TrusteeStateView& store,
                                                                  std::uint64_t key_epoch);

}  // namespace hc::chain
