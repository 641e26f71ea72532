// Consortium governance transactions (issue 16 item 1; docs/ledger.md, "Consortium
// governance"): a hospital's join request, a member's approval of a proposal, a member's exit
// announcement and a member's proposal to vote another out. Their bodies, field rules and
// decoder (used by the transaction files), and their signing scheme: a replica's Ed25519 key
// signs "HC-GOVERNANCE-SIGNING-v1" || the canonical encoding up to the signature, whose first
// field after the header is the chain id, so a governance signature is bound to its chain and
// cannot be taken for a manager's, a record's or an engine message's (each has its own tag).
// Which key must sign is a rule of the committed state (governance_rules.h), except for a join
// request, which the key it names signs (proof of possession). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chain/codec.h"
#include "chain/transaction.h"
#include "crypto/ed25519.h"

namespace hc::chain {

// The message a governance transaction's signer signs. kInvalidInput for another kind.
Result<Bytes> governance_signing_message(const Transaction& tx);
// Fills in the signature with the replica key of seed `replica_seed` (32 bytes), or with a
// loaded key (`hc consortium`, from the node's encrypted key file).
Status sign_governance_tx(Transaction& tx, const SecureBytes& replica_seed);
Status sign_governance_tx(Transaction& tx, const crypto::Ed25519PrivateKey& key);
// ok if the signature verifies under `signer`; kAuthFailed if not.
Status verify_governance_signature(const Transaction& tx, const Ed25519PublicKey& signer);

// A replica's peer (consensus) address as a join request carries it: "host:port", printable
// ASCII without spaces, at most kMaxApiAddressBytes, the port 1..65535 in decimal without a
// leading zero (one spelling per address). kInvalidInput with the rule otherwise.
struct PeerAddress {
  std::string host;
  std::uint16_t port = 0;
};
Result<PeerAddress> parse_peer_address(std::string_view address);

// For the transaction files (transaction.cpp, transaction_decode.cpp).
void append_governance_body(Bytes& out, const JoinRequestTx& tx);
void append_governance_body(Bytes& out, const GovernanceApprovalTx& tx);
void append_governance_body(Bytes& out, const ExitAnnouncementTx& tx);
void append_governance_body(Bytes& out, const VoteOutProposalTx& tx);
Status check_governance_fields(const JoinRequestTx& tx);
Status check_governance_fields(const GovernanceApprovalTx& tx);
Status check_governance_fields(const ExitAnnouncementTx& tx);
Status check_governance_fields(const VoteOutProposalTx& tx);
// Wire kinds 19..22 and kJoinRequestWithPeerWireKind after the header, signature included.
Result<Transaction> decode_governance_body(std::uint8_t wire_kind, Reader& in);
// The signature of kinds 19..22; nullptr for every other kind.
const Ed25519Signature* governance_signature_of(const Transaction& tx);

}  // namespace hc::chain
