#include "client/manager_revocation.h"

#include "client/epoch_starts.h"
#include "client/manager_transaction.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/store.h"

namespace hc::client {

Result<RevocationDone> revoke_member(ManagerSession& session, const NodeClient& writer, const std::string& member) {
  groupsig::GroupDir group(session.dir() / "group");
  const SecureBytes& pass = session.passphrase();
  HC_ASSIGN_OR_RETURN(groupsig::CurrentIssuance issuance, groupsig::load_current_issuance(group, pass.span()));
  groupsig::IssuerKey& issuer = issuance.issuer;
  HC_ASSIGN_OR_RETURN(groupsig::Revocation rev, groupsig::revoke(issuer, issuance.gpk, issuance.registry, member));
  chain::RevocationTx revocation;
  revocation.new_epoch = rev.gpk.epoch;
  revocation.record = groupsig::encode_revocation(rev.record);
  // The chain first: the group directory moves to the new epoch only once the chain has.
  HC_ASSIGN_OR_RETURN(CommittedTx committed, submit_manager_tx(session, writer, chain::Transaction{revocation}));
  // Where the epoch began, for the epoch check of every later opening (client/epoch_starts.h).
  HC_RETURN_IF_ERROR(record_epoch_start(session.dir(), rev.gpk.epoch, committed.height));
  HC_RETURN_IF_ERROR(group.publish_epoch(rev.gpk, rev.registry, &rev.record));
  session.forget_epoch_starts();  // the session read them before this epoch began
  HC_RETURN_IF_ERROR(groupsig::save_issuer_key(group.issuer_key(), issuer, pass.span()));
  return RevocationDone{member, rev.gpk.epoch, committed.tx_id, committed.height};
}

}  // namespace hc::client
