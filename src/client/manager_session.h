// ManagerSession: the group manager's side of retrieval and administration, from its
// directory (created by `hc cluster up`, or by hand with the same layout):
//   DIR/manager.json, envelope/, pseudonym.key   envelope keys and the pseudonym key (crypto/)
//   DIR/group/                                   the group: opener and issuer keys (and on a
//                                                genesis of version 7 the BBS04-ElGamal opener
//                                                key), per-epoch public keys and registries
//   DIR/genesis.json                             the chain's genesis (replica keys for certificates)
//   DIR/admin.key.pem                            the Ed25519 administration key (encrypted)
//   DIR/reader.token                             the bearer token for reading records by serial
//   DIR/epoch-starts.txt                         the height at which each group epoch began (revoke)
// It decrypts verified record transactions (unwrapping with the key their key id names) and
// opens their group signatures (the hospital that signed), and signs manager transactions.
// Private keys are loaded once and kept in memory for the session. Not thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "chain/verifiers.h"
#include "client/epoch_starts.h"
#include "client/following_certificates.h"
#include "client/item_verification.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "crypto/manager_keys.h"
#include "crypto/visit.h"

namespace hc::groupsig {
class PreparedGroupKey;
struct OpenerKey;
struct Registry;
namespace elgamal {
class PreparedKey;
struct OpenerKey;
struct Opening;
}  // namespace elgamal
}  // namespace hc::groupsig

namespace hc::client {

// Why nothing the manager holds names the hospital behind a trustees-mode record.
inline constexpr std::string_view kOpeningNeedsTheTrustees =
    "this is a trustees-mode chain: no opener key exists, so a hospital is unmasked only by t trustees "
    "answering an opening request committed on the chain (docs/groupsig.md, \"Issuer and opener\")";

struct PatientVisit {
  std::uint64_t height = 0;
  std::string tx_id;
  std::uint64_t epoch = 0;
  crypto::Visit visit;
  std::string hospital;  // the member whose group signature it is (opened)
};

class ManagerSession {
 public:
  static Result<std::unique_ptr<ManagerSession>> open(const std::filesystem::path& dir, SecureBytes passphrase);
  ~ManagerSession();

  const std::filesystem::path& dir() const { return dir_; }
  const chain::CommitCertificateVerifier& certificates() const { return *certificates_; }
  // As ChainTrust::follow_changes_of (genesis_trust.h): certificates above a membership change
  // are checked against the history of changes the node at `node_url` proves.
  void follow_changes_of(const std::string& node_url);
  // The chain's genesis from DIR/genesis.json (its TLS CA certificates verify the nodes).
  const chain::Genesis& genesis() const { return *genesis_; }
  Result<chain::Serial> serial_of(const std::string& name, const std::string& id) const;
  Result<std::string> reader_token() const;

  // Checks that the record was committed inside its group epoch (client/epoch_starts.h), then
  // decrypts it and opens its signature. kAuthFailed if any of the three fails.
  Result<PatientVisit> read_record(const VerifiedItem& item);
  // The member (hospital) whose group signature a record carries, by opening it with the
  // opener key; kUnavailable (kOpeningNeedsTheTrustees) in trustees mode, which has none.
  // On a version-7 genesis the record's BBS04-ElGamal signature is opened with the manager's
  // opener secret (group/elgamal-opener.key): an ElGamal decryption, see open_elgamal_record.
  Result<std::string> signer_of(const chain::RecordTx& record);
  // A version-7 chain's record opened with its proof (groupsig::elgamal::open), which anyone
  // can check with elgamal::judge under elgamal_key_of(record.epoch) and the epoch's registry.
  // kUnavailable on another chain; kAuthFailed for a signature that does not verify.
  Result<groupsig::elgamal::Opening> open_elgamal_record(const chain::RecordTx& record);
  // The BBS04-ElGamal key a version-7 chain's records of `epoch` verify under (the group key of
  // the epoch with the genesis's opener key), and the registry of that epoch.
  Result<const groupsig::elgamal::PreparedKey*> elgamal_key_of(std::uint64_t epoch);
  Result<const groupsig::Registry*> registry_of(std::uint64_t epoch);
  // Fills the manager signature of a manager transaction with the admin key.
  Status sign(chain::Transaction& tx) const;
  // SHA-256 of the admin public key (what an access audit entry names as the manager key).
  chain::KeyId admin_key_id() const;
  const crypto::ManagerKeys& keys() const { return keys_; }
  // Makes a new envelope key current (crypto::ManagerKeys::rotate with the session's
  // passphrase) in this session's own key table, so records sealed to it read at once.
  Result<crypto::KeyId> rotate_envelope_key() { return keys_.rotate(passphrase_); }
  // The directory's epoch starts changed (a revocation from this session's process): they are
  // read again on the next record, so its epoch check knows the new epoch.
  void forget_epoch_starts() { epoch_starts_.reset(); }
  const SecureBytes& passphrase() const { return passphrase_; }

 private:
  ManagerSession(std::filesystem::path dir, SecureBytes passphrase, crypto::ManagerKeys keys,
                 crypto::Ed25519PrivateKey admin);

  std::filesystem::path dir_;
  SecureBytes passphrase_;
  crypto::ManagerKeys keys_;
  crypto::Ed25519PrivateKey admin_;
  std::unique_ptr<chain::Genesis> genesis_;
  std::unique_ptr<FollowingCertificateVerifier> certificates_;
  std::unique_ptr<groupsig::OpenerKey> opener_;
  std::unique_ptr<groupsig::elgamal::OpenerKey> elgamal_opener_;  // genesis version 7 only
  std::map<std::uint64_t, std::unique_ptr<groupsig::elgamal::PreparedKey>> elgamal_keys_;
  std::map<crypto::KeyId, crypto::EnvelopePrivateKey> envelope_keys_;
  std::map<std::uint64_t, std::unique_ptr<groupsig::PreparedGroupKey>> group_keys_;
  std::map<std::uint64_t, std::unique_ptr<groupsig::Registry>> registries_;
  std::unique_ptr<EpochStarts> epoch_starts_;  // loaded on first use
};

}  // namespace hc::client
