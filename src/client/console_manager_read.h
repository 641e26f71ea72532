// The access console's read in single-manager mode (the paper's; docs/web.md, "The access
// console"): the same steps as `hc manager retrieve`, reported as the console's jobs show a
// trustees-mode read (client/console_access.h). The access is put on the chain first (an
// access audit entry with the purpose and the reader account the node knows the token by,
// signed with the manager's admin key) and waited for until committed; only then are the
// serial's records fetched, verified against the genesis, decrypted with the manager's
// envelope keys and their signatures opened (client/patient_history.h). The audit entry is
// reported as the job's one "request" (posted, then committed at its height; no trustees).
// Not thread-safe (the session): one job at a time.
#pragma once

#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/threshold_retrieval.h"

namespace hc::client {

// `reader` holds a reader token (whoami, records by serial); `writer` posts the audit entry.
// kInvalidInput for a trustees-mode session, a bad purpose, or a reader account name an audit
// entry cannot carry; the node's and the verification's errors otherwise.
Result<ThresholdRetrieval> retrieve_as_manager(ManagerSession& session, const NodeClient& reader,
                                               const NodeClient& writer, const chain::Serial& serial,
                                               const ThresholdRetrievalOptions& options);

}  // namespace hc::client
