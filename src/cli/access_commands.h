// `hc access request | status` (trustees mode, issue 13): reading a patient's records through
// a committed access request and t trustees' decryption shares (client/threshold_retrieval.h),
// and the state of a request on the chain. `hc manager retrieve` on a trustees-mode chain runs
// the same retrieval (run_trustee_retrieval). `hc access policy | reader-key`
// (access_policy_commands.cpp): the reader policy on the chain and a reader's own key.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "client/access_requester.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "common/status.h"

namespace hc::cli {

// The access commands' defaults and bounds, in one place.
inline constexpr std::uint32_t kDefaultTrusteeAnswerTimeoutS = 120;
inline constexpr std::uint32_t kMaxTrusteeAnswerTimeoutS = 3600;

struct TrusteeRetrievalRun {
  std::string node_url;
  std::string purpose;
  std::uint32_t timeout_s = kDefaultTrusteeAnswerTimeoutS;
  bool json = false;
};

// Requests, waits, combines and prints the patient's visits (a table, or JSON with --json).
// Exit status as `hc manager retrieve`: 1 when some record could not be read.
Status run_trustee_retrieval(client::AccessRequester& requester, const client::NodeClient& reader,
                             const chain::Serial& serial, const TrusteeRetrievalRun& run);

void register_access_commands(CLI::App& app);
// `hc access policy add|remove|list` and `hc access reader-key create|show` under `group`.
void register_access_policy_commands(CLI::App* group);

}  // namespace hc::cli
