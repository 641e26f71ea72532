#include "client/manager_key_rotation.h"

#include "client/manager_transaction.h"
#include "common/bytes.h"

namespace hc::client {

Result<KeyPublication> publish_envelope_key(const ManagerSession& session, const NodeClient& writer,
                                            const crypto::KeyId& id) {
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey pub, session.keys().public_key(id));
  chain::PublishEnvelopeKeyTx publication;
  publication.spki_der = pub.spki_der();
  HC_ASSIGN_OR_RETURN(CommittedTx committed, submit_manager_tx(session, writer, chain::Transaction{publication}));
  return KeyPublication{to_hex(pub.key_id()), committed.tx_id, committed.height};
}

Result<KeyPublication> rotate_and_publish_envelope_key(ManagerSession& session, const NodeClient& writer) {
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("a trustees-mode chain has no manager envelope key: its access key comes from the trustees' DKG");
  }
  HC_ASSIGN_OR_RETURN(crypto::KeyId id, session.rotate_envelope_key());
  return publish_envelope_key(session, writer, id);
}

}  // namespace hc::client
