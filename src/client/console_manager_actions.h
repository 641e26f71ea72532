// What the access console does with the manager's directory besides reading (issue 17;
// docs/web.md, "The access console"): the manager's actions on the chain it offers, by the
// chain's access mode. Revoking a hospital is offered in either mode (the issuer key of
// DIR/group and the admin key are the manager's in both; in trustees mode only the opener key
// is the trustees'), with exactly the steps of `hc manager revoke`
// (client/manager_revocation.h). Rotating the envelope key is offered in single-manager mode
// only (a trustees-mode access key comes from the trustees' DKG on the chain), with the steps
// of `hc manager rotate-key --node` (client/manager_key_rotation.h). Each action opens its own
// connection to the node. The session must outlive the app; the app runs the actions on its
// server thread and never while an access job runs (the session is not thread-safe).
#pragma once

#include <functional>

#include "client/console_app.h"
#include "client/manager_session.h"
#include "client/node_client.h"

namespace hc::client {

// Opens a connection to the node the actions post to (a fresh one for each action).
using WriterConnector = std::function<Result<NodeClient>()>;

// Sets app's revoker (either access mode) and, on a single-manager chain, its key rotator.
// The revoker answers {member, new_epoch, tx_id, height}; the rotator {key_id, tx_id, height};
// each passes on the connector's and the client step's errors.
void offer_manager_actions(ConsoleApp& app, ManagerSession& session, WriterConnector connect_writer);

}  // namespace hc::client
