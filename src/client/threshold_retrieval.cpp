#include "client/threshold_retrieval.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "chain/limits.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "client/access_key_trust.h"
#include "client/access_request_answer.h"
#include "client/audit_purpose.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kRequestCommitTimeoutMs = 30000;
constexpr std::uint32_t kAnswerPollIntervalMs = 250;
constexpr std::uint64_t kMaxKeyEpochLookups = 64;  // older epochs searched for a record's key id

std::uint64_t retrieval_unix_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

void say(const ThresholdRetrievalOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
}

struct EpochRecords {
  th::AccessKeyPublic key;  // the DKG's sharing; the one in force at the request's height answers
  std::optional<th::OpenerKeyPublic> opener_key;
  TrustedSharing dkg;                     // the same, as a sharing
  std::vector<TrustedSharing> resharings;  // the epoch's later sharings (client/reshare_trust.h)
  std::vector<RecordToRead> records;  // ascending record id (the request's order)
  std::map<chain::Digest, const VerifiedItem*> items;
};

// The verified access keys the records were sealed to, by key id: the current key first, then
// older epochs until every key id is found (or none is left).
Result<std::map<crypto::KeyId, TrustedAccessKey>> keys_for(const NodeClient& node, const ChainTrust& trust,
                                                          const std::vector<crypto::KeyId>& wanted) {
  std::map<crypto::KeyId, TrustedAccessKey> out;
  HC_ASSIGN_OR_RETURN(TrustedAccessKey current, fetch_trusted_access_key(node, trust));
  std::uint64_t epoch = current.key_epoch;
  out.emplace(current.outcome.key.key_id, std::move(current));
  auto missing = [&]() {
    return std::any_of(wanted.begin(), wanted.end(), [&](const crypto::KeyId& id) { return !out.count(id); });
  };
  for (std::uint64_t lookups = 0; missing() && epoch > 0 && lookups < kMaxKeyEpochLookups; ++lookups) {
    --epoch;
    auto older = fetch_trusted_access_key(node, trust, epoch);
    // An epoch whose DKG failed has no key; one the node cannot prove leaves its records
    // listed as unreadable ("sealed to no access key the chain vouches for").
    if (!older.ok()) continue;
    out.emplace(older->outcome.key.key_id, std::move(older).value());
  }
  return out;
}

Result<chain::Digest> post_request(const AccessRequester& requester_of, const NodeClient& writer, const chain::Serial& serial,
                                   const EpochRecords& group, const RequesterKey& requester,
                                   const std::string& purpose, bool open, std::uint64_t& height,
                                   const std::function<void(const std::string&)>& on_posted) {
  chain::AccessRequestTx request;
  request.chain_id = chain::genesis_hash(requester_of.genesis());
  request.key_epoch = group.key.epoch;
  request.serial = serial;
  for (const RecordToRead& r : group.records) request.record_ids.push_back(r.record_id);
  request.timestamp_ms = retrieval_unix_ms();
  request.purpose = purpose;
  request.requester_key = requester.public_key();
  request.open = open;
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(chain::Transaction(request)));
  HC_RETURN_IF_ERROR(requester_of.sign(request));
  const Bytes encoding = chain::encode_transaction(chain::Transaction(request));
  HC_ASSIGN_OR_RETURN(std::string tx_id, writer.submit_manager_transaction(encoding));
  on_posted(tx_id);
  HC_ASSIGN_OR_RETURN(TxStatus st, writer.wait_committed(tx_id, kRequestCommitTimeoutMs));
  height = st.height;
  return chain::transaction_id(encoding);
}

// Splits the serial's records: version 2 grouped by key epoch (chunks of the request limit),
// anything else unreadable here.
Result<std::vector<EpochRecords>> group_records(AccessRequester& session, const std::vector<VerifiedItem>& items,
                                                const std::map<crypto::KeyId, TrustedAccessKey>& keys,
                                                PatientHistory& history) {
  std::map<std::uint64_t, std::vector<EpochRecords>> by_epoch;
  for (const VerifiedItem& item : items) {
    const auto* record = std::get_if<chain::RecordTx>(&item.tx);
    if (record == nullptr) continue;
    auto v2 = chain::client_record_v2_of(record->sealed);
    auto key = v2.ok() ? keys.find(v2->key_id) : keys.end();
    if (!v2.ok() || key == keys.end()) {
      history.unreadable.push_back({item.height, chain::digest_hex(item.tx_id),
                                    v2.ok() ? "sealed to no access key the chain vouches for"
                                            : "envelope version 1 (the manager's RSA key), not the trustees'",
                                    session.hospital_without_opening(*record)});
      continue;
    }
    auto& groups = by_epoch[key->second.key_epoch];
    if (groups.empty() || groups.back().records.size() == chain::kMaxAccessRequestRecords) {
      groups.push_back(EpochRecords{key->second.outcome.key, key->second.opener_key, key->second.dkg_sharing(),
                                    key->second.resharings, {}, {}});
    }
    groups.back().records.push_back(RecordToRead{item.tx_id, std::move(v2).value()});
    groups.back().items[item.tx_id] = &item;
  }
  std::vector<EpochRecords> out;
  for (auto& [epoch, groups] : by_epoch) {
    for (EpochRecords& g : groups) {
      std::sort(g.records.begin(), g.records.end(),
                [](const RecordToRead& a, const RecordToRead& b) { return a.record_id < b.record_id; });
      out.push_back(std::move(g));
    }
  }
  return out;
}

// The trustees can open a group's records when its key epoch has an opener key and every
// record carries a BBS04-ElGamal signature (made under that key); the registries of their
// group epochs come from the requester (the manager's group directory, a reader's copy of the
// public registries); a requester without registries does not ask to open.
Result<std::optional<OpeningToAwait>> opening_for(const AccessRequester& session, const EpochRecords& group) {
  if (!group.opener_key) return std::optional<OpeningToAwait>();
  OpeningToAwait out;
  out.key = *group.opener_key;
  for (const RecordToRead& r : group.records) {
    const auto& record = std::get<chain::RecordTx>(group.items.at(r.record_id)->tx);
    if (!chain::is_elgamal_group_signature(record.group_signature)) return std::optional<OpeningToAwait>();
    if (!out.registries.count(record.epoch)) {
      HC_ASSIGN_OR_RETURN(std::optional<groupsig::Registry> registry, session.registry(record.epoch));
      if (!registry) return std::optional<OpeningToAwait>();
      out.registries.emplace(record.epoch, std::move(*registry));
    }
    out.records.push_back(RecordToOpen{r.record_id, record.group_signature});
  }
  return std::optional<OpeningToAwait>(std::move(out));
}

}  // namespace

Result<ThresholdRead> await_threshold_read(const NodeClient& node, const ChainTrust& trust,
                                           const th::AccessKeyPublic& key,
                                           const std::vector<crypto::P256PointBytes>* seat_keys,
                                           const chain::Digest& request_id,
                                           const RequesterKey& requester, const std::vector<RecordToRead>& records,
                                           std::uint32_t timeout_ms, const OpeningToAwait* opening,
                                           ThresholdOpenings* opened,
                                           const std::function<void(std::size_t)>& on_answers) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::size_t trustees = key.public_shares.size();
  std::size_t answers_seen = 0;
  while (true) {
    Result<ThresholdRead> read = invalid_input("no answer yet");
    auto answer = node.access_request_answer(chain::digest_hex(request_id));
    if (answer.ok()) {
      HC_ASSIGN_OR_RETURN(ProvenAccessRequest proven,
                          verify_access_request_answer(*answer, request_id, trust, seat_keys));
      std::vector<TrusteeAnswer> answers;
      std::vector<OpeningAnswer> opening_answers;
      for (const ProvenShareAnswer& a : proven.answers) {
        answers.push_back({a.shares.trustee, a.shares.share_boxes});
        opening_answers.push_back({a.shares.trustee, a.shares.partial_openings});
      }
      if (on_answers && answers.size() != answers_seen) on_answers(answers.size());
      answers_seen = answers.size();
      read = read_with_decryption_shares(key, request_id, requester.secret(), records, answers);
      if (read.ok() && opening != nullptr) {
        auto openings = open_with_partial_openings(opening->key, opening->registries, request_id, opening->records,
                                                   opening_answers);
        if (openings.ok()) {
          *opened = std::move(openings).value();
          for (const auto& r : opened->rejected) read->rejected.push_back({r.trustee, "partial opening: " + r.reason});
        } else {
          read = openings.status();
        }
      }
      if (read.ok()) return read;
      const bool all_answered = answers.size() >= trustees;
      if (all_answered || Clock::now() >= deadline) return read.status();
    } else if (answer.status().code() != ErrorCode::kNotFound || Clock::now() >= deadline) {
      return answer.status().with_context("access request " + chain::digest_hex(request_id));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kAnswerPollIntervalMs));
  }
}

Result<ThresholdRetrieval> retrieve_with_trustees(AccessRequester& session, const NodeClient& reader,
                                                  const NodeClient& writer, const chain::Serial& serial,
                                                  const ThresholdRetrievalOptions& options) {
  if (session.genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: there are no trustees to ask");
  }
  HC_RETURN_IF_ERROR(check_audit_purpose(options.purpose));
  HC_ASSIGN_OR_RETURN(ChainTrust trust, ChainTrust::from_genesis(session.genesis()));
  trust.follow_changes_with(writer);
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, reader.records_by_serial(chain::digest_hex(serial)));
  HC_ASSIGN_OR_RETURN(auto items, verify_serial_answer(answer, serial, session.certificates()));
  std::vector<crypto::KeyId> wanted;
  for (const VerifiedItem& item : items) {
    const auto* record = std::get_if<chain::RecordTx>(&item.tx);
    if (record != nullptr && record->sealed.envelope_version == chain::kRecordEnvelopeV2) {
      wanted.push_back(record->sealed.key_id);
    }
  }
  if (wanted.empty()) return invalid_input("no version-2 record is stored under this patient's serial");
  HC_ASSIGN_OR_RETURN(auto keys, keys_for(reader, trust, wanted));
  ThresholdRetrieval out;
  out.history.verified_items = items.size();
  HC_ASSIGN_OR_RETURN(std::vector<EpochRecords> groups, group_records(session, items, keys, out.history));
  for (const EpochRecords& group : groups) {
    const RequesterKey requester = RequesterKey::fresh();
    HC_ASSIGN_OR_RETURN(std::optional<OpeningToAwait> opening, opening_for(session, group));
    std::uint64_t height = 0;
    RetrievalProgress step;
    step.key_epoch = group.key.epoch;
    step.records = group.records.size();
    step.asks_to_open = opening.has_value();
    auto tell = [&](RetrievalProgress::Stage stage) {
      step.stage = stage;
      if (options.on_step) options.on_step(step);
    };
    HC_ASSIGN_OR_RETURN(chain::Digest request_id,
                        post_request(session, writer, serial, group, requester, options.purpose, opening.has_value(),
                                     height, [&](const std::string& tx_id) {
                                       step.request_id = tx_id;
                                       tell(RetrievalProgress::Stage::kPosted);
                                     }));
    step.request_id = chain::digest_hex(request_id);
    step.height = height;
    tell(RetrievalProgress::Stage::kCommitted);
    say(options, "access request " + chain::digest_hex(request_id) + " committed at height " + std::to_string(height) +
                     " (key epoch " + std::to_string(group.key.epoch) + ", " + std::to_string(group.records.size()) +
                     " record(s)" + (opening ? ", decrypt and open" : "") + "); waiting for " +
                     std::to_string(group.key.threshold) + " trustees");
    // The sharing in force at the request's height answers it (issue 16 item 3): its public
    // shares check the decryption shares and partial openings, its seats' keys the answers.
    const TrustedSharing& in_force = sharing_at(group.dkg, group.resharings, height);
    if (in_force.reshare_epoch != 0) {
      say(options, "the trustees of resharing epoch " + std::to_string(in_force.reshare_epoch) + " answer (t = " +
                       std::to_string(in_force.key.threshold) + " of " + std::to_string(in_force.trustee_keys.size()) +
                       ")");
      if (opening) {
        if (!in_force.opener_key) return Status::error(ErrorCode::kAuthFailed, "the resharing in force has no opener key");
        opening->key = *in_force.opener_key;
      }
    }
    ThresholdOpenings opened;
    HC_ASSIGN_OR_RETURN(ThresholdRead read,
                        await_threshold_read(reader, trust, in_force.key, &in_force.trustee_keys, request_id,
                                             requester, group.records,
                                             options.timeout_ms, opening ? &*opening : nullptr, &opened,
                                             [&](std::size_t answers) {
                                               step.answers = answers;
                                               tell(RetrievalProgress::Stage::kAnswers);
                                             }));
    out.requests.push_back({chain::digest_hex(request_id), height, group.key.epoch, group.records.size(),
                            read.answered, read.rejected, opening.has_value(), in_force.reshare_epoch,
                            in_force.trustee_keys.size(), in_force.key.threshold});
    std::map<chain::Digest, std::string> members;
    for (const OpenedRecord& o : opened.records) members[o.record_id] = o.member;
    for (ReadVisit& v : read.visits) {
      const VerifiedItem& item = *group.items.at(v.record_id);
      const auto& record = std::get<chain::RecordTx>(item.tx);
      auto member = members.find(v.record_id);
      out.history.visits.push_back(PatientVisit{item.height, chain::digest_hex(item.tx_id), record.epoch,
                                                std::move(v.visit),
                                                member != members.end() ? member->second
                                                                        : session.hospital_without_opening(record)});
    }
  }
  std::sort(out.history.visits.begin(), out.history.visits.end(),
            [](const PatientVisit& a, const PatientVisit& b) { return a.height < b.height; });
  return out;
}

}  // namespace hc::client
