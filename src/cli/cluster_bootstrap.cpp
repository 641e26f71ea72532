#include "cli/cluster_bootstrap.h"

#include <thread>
#include <type_traits>

#include "cli/cluster_client.h"
#include "crypto/ed25519.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/store.h"
#include "crypto/manager_keys.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kBootstrapPollInterval{200};

Result<ManagerTx> finish(std::string label, chain::Transaction tx, const fs::path& admin_key_file,
                         const SecureBytes& passphrase) {
  HC_RETURN_IF_ERROR(sign_with_admin_key(tx, admin_key_file, passphrase));
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  ManagerTx out;
  out.label = std::move(label);
  out.encoding = chain::encode_transaction(tx);
  out.tx_id_hex = to_hex(chain::transaction_id(out.encoding));
  return out;
}

// Waits for one transaction; ok once committed.
Status wait_committed(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls, const ManagerTx& tx, std::chrono::steady_clock::time_point deadline,
                      const std::function<void(const std::string&)>& progress) {
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = fetch_tx_status(api_url, tx.tx_id_hex, tls);
    if (status.ok()) {
      switch (status->outcome) {
        case TxOutcome::kCommitted:
          progress(tx.label + ": committed at height " + std::to_string(status->height));
          return Status::ok_status();
        case TxOutcome::kRejected:
          return invalid_input(tx.label + " was rejected by the ledger: " + status->reason);
        case TxOutcome::kPending:
        case TxOutcome::kUnknown:
          break;
      }
    } else {
      last_error = status.status().message();
    }
    std::this_thread::sleep_for(kBootstrapPollInterval);
  }
  return Status::error(ErrorCode::kUnavailable, tx.label + " (tx " + tx.tx_id_hex + ") not committed in time" +
                                                    (last_error.empty() ? "" : " (last error: " + last_error + ")"));
}

}  // namespace

Status sign_with_admin_key(chain::Transaction& tx, const fs::path& admin_key_file, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::load(admin_key_file, passphrase));
  HC_ASSIGN_OR_RETURN(Bytes message, chain::manager_signing_message(tx));
  crypto::Ed25519Signature signature = key.sign(message);
  std::visit(
      [&](auto& t) {
        if constexpr (requires { t.signature; }) t.signature = signature;
      },
      tx);
  return chain::verify_manager_tx(tx, key.public_key().bytes());
}

Result<std::vector<ManagerTx>> build_bootstrap_transactions(const fs::path& manager_dir, const fs::path& group_dir,
                                                            const SecureBytes& passphrase) {
  const fs::path admin_key_file = manager_dir / "admin.key.pem";
  std::vector<ManagerTx> out;
  HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(manager_dir));
  if (!keys.current_key_id()) {
    return Status::error(ErrorCode::kNotFound, manager_dir.string() + " has no current envelope key");
  }
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey envelope, keys.public_key(*keys.current_key_id()));
  chain::PublishEnvelopeKeyTx publish;
  publish.spki_der = envelope.spki_der();
  HC_ASSIGN_OR_RETURN(ManagerTx publish_tx,
                      finish("publish envelope key " + to_hex(envelope.key_id()).substr(0, 16), publish,
                             admin_key_file, passphrase));
  out.push_back(std::move(publish_tx));
  groupsig::GroupDir group(group_dir);
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(group.registry(0)));
  for (const groupsig::RegistryEntry& entry : registry.entries) {
    groupsig::Registry single;
    single.epoch = registry.epoch;
    single.entries.push_back(entry);
    chain::EnrollmentTx enroll;
    enroll.member_name = entry.name;
    enroll.registry_entry = groupsig::encode_registry(single);
    HC_ASSIGN_OR_RETURN(ManagerTx enroll_tx, finish("enroll " + entry.name, enroll, admin_key_file, passphrase));
    out.push_back(std::move(enroll_tx));
  }
  return out;
}

Status submit_and_wait(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                       const std::vector<ManagerTx>& txs, std::chrono::milliseconds timeout,
                       const std::function<void(const std::string&)>& progress) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const ManagerTx& tx : txs) {
    auto id = post_manager_transaction(api_url, tx.encoding, tls);
    if (!id.ok()) return id.status().with_context("submitting " + tx.label);
    if (*id != tx.tx_id_hex) {
      return Status::error(ErrorCode::kInternal, "node reports tx id " + *id + " for " + tx.label + ", expected " +
                                                     tx.tx_id_hex);
    }
  }
  for (const ManagerTx& tx : txs) HC_RETURN_IF_ERROR(wait_committed(api_url, tls, tx, deadline, progress));
  return Status::ok_status();
}

}  // namespace hc::cli
