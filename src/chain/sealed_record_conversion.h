// Between a client's sealed record (crypto/sealed_record.h version 1, crypto/sealed_record_v2.h
// version 2: the file form a doctor's client writes) and the ledger's SealedRecord that a
// record transaction carries (transaction.h: one struct for both envelope versions). The
// node's record route, the clients that read records back and the tests all convert here, so
// the two shapes cannot drift apart. Pure functions; thread-safe.
#pragma once

#include "chain/transaction.h"
#include "common/status.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"

namespace hc::chain {

// kInvalidInput when the record is not of its version or its wrapped key is not 384 bytes.
Result<SealedRecord> chain_record_of(const crypto::SealedRecord& v1);
Result<SealedRecord> chain_record_of(const crypto::SealedRecordV2& v2);

// A record file's JSON (docs/record-format.md "File form") of either version, as the ledger's
// record: what a node's POST /v1/records takes. The error of the version the text claims
// (version 1's when it claims neither).
Result<SealedRecord> chain_record_from_file_json(std::string_view text);

// The client forms back; kInvalidInput when `sealed` has the other envelope version.
Result<crypto::SealedRecord> client_record_v1_of(const SealedRecord& sealed);
Result<crypto::SealedRecordV2> client_record_v2_of(const SealedRecord& sealed);

}  // namespace hc::chain
