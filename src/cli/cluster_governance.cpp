#include "cli/cluster_governance.h"

#include <algorithm>
#include <thread>

#include "chain/transaction_governance.h"
#include "cli/cluster_client.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kCommitPollInterval{200};

// Posts an encoded transaction and polls its status until committed.
Result<CommittedTx> post_and_wait(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                                  const Bytes& encoding, const std::string& label, std::chrono::milliseconds timeout) {
  const std::string expected = to_hex(chain::transaction_id(encoding));
  auto posted = post_manager_transaction(api_url, encoding, tls);
  if (!posted.ok()) return posted.status().with_context(label);
  if (*posted != expected) {
    return Status::error(ErrorCode::kInternal, label + ": the node reports tx id " + *posted + ", expected " + expected);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = fetch_tx_status(api_url, expected, tls);
    if (status.ok() && status->outcome == TxOutcome::kCommitted) return CommittedTx{expected, status->height};
    if (status.ok() && status->outcome == TxOutcome::kRejected) {
      return invalid_input(label + " was rejected by the ledger: " + status->reason);
    }
    if (!status.ok()) last_error = status.status().message();
    std::this_thread::sleep_for(kCommitPollInterval);
  }
  return Status::error(ErrorCode::kUnavailable, label + " (tx " + expected + ") not committed within " +
                                                    std::to_string(timeout.count() / 1000) + " s" +
                                                    (last_error.empty() ? "" : " (last error: " + last_error + ")"));
}

}  // namespace

Result<CommittedTx> post_governance_tx(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                                       chain::Transaction tx, const fs::path& key_file, const SecureBytes& passphrase,
                                       std::chrono::milliseconds timeout) {
  auto key = crypto::Ed25519PrivateKey::load(key_file, passphrase);
  if (!key.ok()) return key.status().with_context("replica key " + key_file.string());
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  HC_RETURN_IF_ERROR(chain::sign_governance_tx(tx, *key));
  return post_and_wait(api_url, tls, chain::encode_transaction(tx), chain::tx_kind_name(chain::kind_of(tx)), timeout);
}

}  // namespace hc::cli
