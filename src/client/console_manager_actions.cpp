#include "client/console_manager_actions.h"

#include "client/manager_key_rotation.h"
#include "client/manager_revocation.h"

namespace hc::client {

void offer_manager_actions(ConsoleApp& app, ManagerSession& session, WriterConnector connect_writer) {
  app.set_revoker([&session, connect_writer](const std::string& member) -> Result<nlohmann::json> {
    HC_ASSIGN_OR_RETURN(NodeClient writer, connect_writer());
    HC_ASSIGN_OR_RETURN(RevocationDone done, revoke_member(session, writer, member));
    return nlohmann::json{{"member", done.member}, {"new_epoch", done.new_epoch}, {"tx_id", done.tx_id},
                          {"height", done.height}};
  });
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) return;
  app.set_key_rotator([&session, connect_writer]() -> Result<nlohmann::json> {
    HC_ASSIGN_OR_RETURN(NodeClient writer, connect_writer());
    HC_ASSIGN_OR_RETURN(KeyPublication done, rotate_and_publish_envelope_key(session, writer));
    return nlohmann::json{{"key_id", done.key_id}, {"tx_id", done.tx_id}, {"height", done.height}};
  });
}

}  // namespace hc::client
