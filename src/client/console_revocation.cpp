#include "client/console_revocation.h"

#include "client/epoch_starts.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/store.h"

namespace hc::client {

namespace {
constexpr std::uint32_t kRevocationCommitTimeoutMs = 30000;
}  // namespace

Result<RevocationDone> revoke_member(ManagerSession& session, const NodeClient& writer, const std::string& member) {
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("revoking from the console is for single-manager chains (trustees mode: hc manager revoke)");
  }
  groupsig::GroupDir group(session.dir() / "group");
  const SecureBytes& pass = session.passphrase();
  HC_ASSIGN_OR_RETURN(std::uint64_t epoch, group.current_epoch());
  HC_ASSIGN_OR_RETURN(groupsig::IssuerKey issuer, groupsig::load_issuer_key(group.issuer_key(), pass.span()));
  HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk, groupsig::load_gpk(group.gpk(epoch)));
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(group.registry(epoch)));
  HC_ASSIGN_OR_RETURN(groupsig::Revocation rev, groupsig::revoke(issuer, gpk, registry, member));
  chain::RevocationTx revocation;
  revocation.new_epoch = rev.gpk.epoch;
  revocation.record = groupsig::encode_revocation(rev.record);
  chain::Transaction tx(revocation);
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  HC_RETURN_IF_ERROR(session.sign(tx));
  HC_ASSIGN_OR_RETURN(std::string tx_id, writer.submit_manager_transaction(chain::encode_transaction(tx)));
  HC_ASSIGN_OR_RETURN(TxStatus committed, writer.wait_committed(tx_id, kRevocationCommitTimeoutMs));
  // The chain first: the group directory moves to the new epoch only once the chain has.
  HC_RETURN_IF_ERROR(record_epoch_start(session.dir(), rev.gpk.epoch, committed.height));
  HC_RETURN_IF_ERROR(group.publish_epoch(rev.gpk, rev.registry, &rev.record));
  session.forget_epoch_starts();  // the session read them before this epoch began
  HC_RETURN_IF_ERROR(groupsig::save_issuer_key(group.issuer_key(), issuer, pass.span()));
  return RevocationDone{member, rev.gpk.epoch, tx_id, committed.height};
}

}  // namespace hc::client
