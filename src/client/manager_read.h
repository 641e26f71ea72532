// A patient's records read by the group manager in single-manager mode (the paper's): what
// `hc manager retrieve` runs on a single-manager chain and what the access console's read job
// runs there (docs/web.md, "The access console"). The access is put on the chain first (an
// access audit entry with the purpose and the reader account the node knows the token by,
// signed with the manager's admin key) and waited for until committed; only then are the
// serial's records fetched, verified against the genesis, decrypted with the manager's
// envelope keys and their signatures opened (client/patient_history.h). The result has the
// shape of a trustees-mode read (client/threshold_retrieval.h): the audit entry is its one
// "request" (no trustees), so the console shows both alike. Not thread-safe (the session):
// one read at a time.
#pragma once

#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/threshold_retrieval.h"

namespace hc::client {

// `reader` holds a reader token (whoami, records by serial); `writer` posts the audit entry.
// Of `options`: the purpose; `progress`, when set, gets one line once the entry is committed
// ("access by <account> recorded on the chain: audit transaction <id> at height <h>", what
// `hc manager retrieve` prints); `on_step`, when set, gets the entry posted, then committed
// with its height and the number of records once they are read (what the console's job
// shows); the trustees' timeout is not used. On success requests[0].request_id is the audit
// entry's transaction id and the history lists the visits read and the records that could not
// be. kInvalidInput for a trustees-mode session, a bad purpose, or a reader account name an
// audit entry cannot carry; the node's and the verification's errors otherwise.
Result<ThresholdRetrieval> retrieve_as_manager(ManagerSession& session, const NodeClient& reader,
                                               const NodeClient& writer, const chain::Serial& serial,
                                               const ThresholdRetrievalOptions& options);

}  // namespace hc::client
