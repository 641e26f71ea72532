#include "client/access_requester.h"

#include "crypto/groupsig/store.h"

namespace hc::client {

namespace fs = std::filesystem;

Status ManagerRequester::sign(chain::AccessRequestTx& request) const {
  request.reader.reset();
  chain::Transaction tx(request);
  HC_RETURN_IF_ERROR(session_.sign(tx));
  request = std::get<chain::AccessRequestTx>(tx);
  return Status();
}

Result<std::optional<groupsig::Registry>> ManagerRequester::registry(std::uint64_t epoch) const {
  groupsig::GroupDir dir(session_.dir() / "group");
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(dir.registry(epoch)));
  return std::optional<groupsig::Registry>(std::move(registry));
}

std::string ManagerRequester::hospital_without_opening(const chain::RecordTx& record) {
  auto signer = session_.signer_of(record);
  return signer.ok() ? *signer : "unknown (" + signer.status().message() + ")";
}

Result<std::unique_ptr<ReaderSession>> ReaderSession::open(const fs::path& genesis_file, const fs::path& key_file,
                                                           const SecureBytes& passphrase,
                                                           std::optional<fs::path> group_dir) {
  HC_ASSIGN_OR_RETURN(ChainTrust trust, ChainTrust::from_genesis_file(genesis_file));
  if (trust.genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: it has no reader policy (only the manager reads records)");
  }
  auto key = crypto::Ed25519PrivateKey::load(key_file, passphrase);
  if (!key.ok()) return key.status().with_context("reader key " + key_file.string());
  if (key->public_key().bytes() == trust.genesis().manager_admin_key) {
    return invalid_input("the reader key is the manager's admin key: use the manager directory (--dir) instead");
  }
  return std::unique_ptr<ReaderSession>(new ReaderSession(std::move(trust), std::move(key).value(), std::move(group_dir)));
}

Status ReaderSession::sign(chain::AccessRequestTx& request) const {
  request.reader = key_.public_key().bytes();
  HC_ASSIGN_OR_RETURN(Bytes message, chain::manager_signing_message(chain::Transaction(request)));
  request.signature = key_.sign(message);
  return Status();
}

Result<std::optional<groupsig::Registry>> ReaderSession::registry(std::uint64_t epoch) const {
  if (!group_dir_) return std::optional<groupsig::Registry>();
  groupsig::GroupDir dir(*group_dir_);
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(dir.registry(epoch)));
  return std::optional<groupsig::Registry>(std::move(registry));
}

std::string ReaderSession::hospital_without_opening(const chain::RecordTx&) {
  return "not named (a hospital is named only by the trustees' threshold opening)";
}

}  // namespace hc::client
