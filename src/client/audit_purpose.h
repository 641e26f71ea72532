// The purpose of an access to a patient's records: what `hc manager retrieve` puts on the
// chain in an access-audit transaction before anything is decrypted. It is checked here, on
// the client, with the same rules the ledger applies (chain/transaction.h), so that a bad
// purpose is a one-line error before any key is opened or any request is sent.
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"

namespace hc::client {

// OK when `purpose` is valid UTF-8, at most chain::kMaxAuditPurposeBytes (1,024) bytes, holds
// no control character (C0 including newline and tab, DEL, C1) and is not blank (only
// whitespace). kInvalidInput / kTooLarge naming the rule otherwise.
Status check_audit_purpose(std::string_view purpose);

}  // namespace hc::client
