#include "client/console_key_rotation.h"

#include "common/bytes.h"

namespace hc::client {

namespace {
constexpr std::uint32_t kPublicationCommitTimeoutMs = 30000;
}  // namespace

Result<KeyRotationDone> rotate_and_publish_envelope_key(ManagerSession& session, const NodeClient& writer) {
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("a trustees-mode chain has no manager envelope key: its access key comes from the trustees' DKG");
  }
  HC_ASSIGN_OR_RETURN(crypto::KeyId id, session.rotate_envelope_key());
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey pub, session.keys().public_key(id));
  chain::PublishEnvelopeKeyTx publication;
  publication.spki_der = pub.spki_der();
  chain::Transaction tx(publication);
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  HC_RETURN_IF_ERROR(session.sign(tx));
  HC_ASSIGN_OR_RETURN(std::string tx_id, writer.submit_manager_transaction(chain::encode_transaction(tx)));
  HC_ASSIGN_OR_RETURN(TxStatus committed, writer.wait_committed(tx_id, kPublicationCommitTimeoutMs));
  return KeyRotationDone{to_hex(id), tx_id, committed.height};
}

}  // namespace hc::client
