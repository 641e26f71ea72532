// The access console's read path (issue 17; docs/web.md, "The access console", "Benchmark of
// the read path"): find -> request -> committed -> trustees answered -> decrypt and open ->
// history, with the console's own work measured apart from the chain's.
//
// In process, on a real trustees-mode ledger (TrusteesChain: m = 4, t = 3, a DKG with opener
// deals run through chain transactions) holding, per patient, two version-2 records sealed to
// the formed access key and group-signed with BBS04-ElGamal under the trustees' opener key (one
// with a FHIR Condition). A fake node serves that ledger over loopback HTTP (the routes `hc
// console` asks); when a request is posted it commits it in a block at once and has the four
// trustees answer (node::TrusteeDuties, the nodes' own logic) in the next block, so no time is
// spent waiting for blocks to be cut: in a cluster that wait is consensus (the browser test saw
// 0.7 to 1.4 s from pressing *Request access* to the history, at a block every 500 ms).
//
// - BM_ConsoleRead: one whole read as the page drives it (POST /console-api/access, then the
//   job polled every 0.2 ms until done), a different patient each iteration (so every read
//   meets the same chain shape). Counters per read: node_ms, the fake node's time in its
//   handlers (the two blocks committed by the ledger, the trustees' answers made, the answers
//   served), and console_ms, the rest: the console's own work (records verified, access key
//   verified against the DKG transcript, the request signed, answers verified, shares
//   combined, visits decrypted, signatures opened, history JSON) plus loopback HTTP.
// - The console's own steps alone, on a read done in the set-up: BM_ConsoleVerifyAccessKey
//   (the access and opener keys recomputed from the proven DKG transcript),
//   BM_ConsoleVerifyAnswers (the request and the 4 trustees' answers proven against the
//   genesis), BM_ConsoleDecrypt (3 shares checked and combined, 2 visits decrypted),
//   BM_ConsoleOpen (3 partial openings checked and combined per record, members named),
//   BM_ConsoleHistoryJson (the history's JSON the page renders, FHIR included) and
//   BM_ConsoleFind (POST /console-api/find: serial, the 3 items verified, the audit trail with
//   the request's 4 answering trustees verified and named), the node's answers prepared.
#include <benchmark/benchmark.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "chain/bbs04_record_verifier.h"
#include "chain/committed_item.h"
#include "chain/limits.h"
#include "chain/opener_key_state.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustee_state.h"
#include "chain/trustees_chain.h"
#include "client/access_key_trust.h"
#include "client/access_reader.h"
#include "client/access_request_answer.h"
#include "client/access_requester.h"
#include "client/console_access.h"
#include "client/console_app.h"
#include "client/patient_history.h"
#include "client/threshold_opening.h"
#include "client/threshold_retrieval.h"
#include "common/bytes.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/serial_number.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "net/http_server.h"
#include "node/access_key_answer.h"
#include "node/trustee_duties.h"

namespace hc::client {
namespace {

namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;
using chain::testing::TrusteesChain;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPatients = 12;  // BM_ConsoleRead's iterations, one patient each
constexpr std::size_t kReferencePatient = kPatients;  // read in the set-up, for the step benchmarks
constexpr std::uint16_t kConsolePort = 41236;          // the Host the app is asked at (no socket)
constexpr const char* kCondition =
    R"({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"active"}]},)"
    R"("code":{"coding":[{"system":"http://snomed.info/sct","code":"442438000",)"
    R"("display":"Influenza caused by Influenza A virus"}],"text":"Influenza A"},"onsetDateTime":"2026-11-18"})";

std::string patient_name(std::size_t i) { return "Bench Patient " + std::to_string(i); }
std::string patient_id(std::size_t i) { return "BP-" + std::to_string(1000 + i); }

SecureBytes bench_pseudonym_key() {
  const Bytes key(32, 0x42);
  return SecureBytes(key.data(), key.size());
}

chain::Serial serial_of(std::size_t patient) {
  auto computed = crypto::compute_serial(bench_pseudonym_key().span(), patient_name(patient), patient_id(patient));
  HC_CHECK(computed.ok());
  chain::Serial serial{};
  std::copy(computed->begin(), computed->end(), serial.begin());
  return serial;
}

std::uint64_t unix_now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// The requester: the manager's admin key (the test consortium's seed) and the group's
// registry, as ManagerRequester has them from a manager directory.
class BenchRequester final : public AccessRequester {
 public:
  BenchRequester(const TrusteesChain& chain, const ChainTrust& trust) : chain_(chain), trust_(trust) {}
  const chain::Genesis& genesis() const override { return trust_.genesis(); }
  const chain::CommitCertificateVerifier& certificates() const override { return trust_.certificates(); }
  Status sign(chain::AccessRequestTx& request) const override {
    request.reader.reset();
    chain::Transaction tx(request);
    HC_RETURN_IF_ERROR(chain::sign_manager_tx(tx, chain_.c.admin_seed()));
    request = std::get<chain::AccessRequestTx>(tx);
    return Status();
  }
  Result<std::optional<groupsig::Registry>> registry(std::uint64_t epoch) const override {
    if (epoch != 0) return Status::error(ErrorCode::kNotFound, "no registry of that epoch");
    return std::optional<groupsig::Registry>(chain::testing::trustees_chain_group().registry);
  }
  std::string hospital_without_opening(const chain::RecordTx&) override { return "not named"; }

 private:
  const TrusteesChain& chain_;
  const ChainTrust& trust_;
};

// The ledger, its records, its trustees and a node serving it over loopback HTTP.
class ConsoleBenchChain {
 public:
  ConsoleBenchChain() {
    verifier_ = chain::Bbs04RecordVerifier::create(chain_.c.genesis().group_public_key).value();
    chain_.app = chain::HealthchainApp::start(*chain_.store, *verifier_, chain_.c.certificates()).value();
    std::vector<Bytes> deals;
    for (std::uint16_t i = 1; i <= 4; ++i) {
      deals.push_back(chain_.deal_tx(th::make_deal(chain_.params(), i).value(), th::make_opener_deal(chain_.opener_params(), i).value()));
    }
    HC_CHECK(chain_.commit(deals).ok());
    chain_.advance_to(2 * chain::kDkgWindowBlocks + 1);
    const chain::StoreTrusteeView view(*chain_.store);
    opener_key_ = chain::read_opener_key(view, 0).value()->formed->key;
    access_key_ = chain::read_current_access_key(view).value()->formed->key;
    signer_ = std::make_unique<eg::MemberKey>(
        eg::member_key_with_opener_key(chain::testing::trustees_chain_member("westgate"), opener_key_.h).value());
    for (std::size_t p = 0; p <= kReferencePatient; ++p) {
      std::vector<Bytes> records{record_tx(p, 1, "Influenza A, oseltamivir", kCondition),
                                 record_tx(p, 2, "Follow-up, recovered", std::nullopt)};
      HC_CHECK(chain_.commit(records).ok());
    }
    for (std::uint16_t j = 1; j <= 4; ++j) {
      node::TrusteeIdentity identity;
      identity.index = j;
      identity.secret = chain_.secret(j);
      identity.public_key = crypto::P256Point::base_mul(chain_.secret(j)).encode();
      duties_.push_back(std::make_unique<node::TrusteeDuties>(*chain_.store, std::move(identity)));
    }
    trust_ = std::make_unique<ChainTrust>(ChainTrust::from_genesis(chain_.c.genesis()).value());
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{}, [this](const net::HttpRequest& r) {
      const auto started = Clock::now();
      net::HttpResponse answer = handle(r);
      node_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
      return answer;
    });
    url_ = "http://127.0.0.1:" + std::to_string(server_->listen("127.0.0.1", 0).value());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ConsoleBenchChain() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  const TrusteesChain& chain() const { return chain_; }
  const ChainTrust& trust() const { return *trust_; }
  const std::string& url() const { return url_; }
  const th::AccessKeyPublic& access_key() const { return access_key_; }
  const th::OpenerKeyPublic& opener_key() const { return opener_key_; }
  std::uint64_t take_node_ns() { return node_ns_.exchange(0); }

  // GET /v1/records/{serial}, GET /v1/access-key and GET /v1/access-requests/{id} as a node
  // answers them (called on the server thread, or before it serves anything).
  json records_answer(const chain::Serial& serial) const {
    json items = json::array();
    const std::vector<chain::SerialHit> hits = chain_.store->serial_hits(serial).value();
    for (const chain::SerialHit& hit : hits) {
      const chain::Block block = chain_.store->read_block(hit.location.height).value();
      json item = chain::committed_item_to_json(block, hit.location.height, hit.location.index).value();
      item["kind"] = chain::tx_kind_name(hit.kind);
      items.push_back(std::move(item));
    }
    return {{"serial", to_hex(serial)}, {"items", items}};
  }
  json access_key_answer() { return key_answers_.answer(*chain_.store, std::nullopt).value(); }
  json request_answer(const std::string& request_id_hex) const {
    return node::access_request_answer(*chain_.store, request_id_hex).value();
  }

  // Commits `request` (signed, encoded) in a block, then the four trustees' answers in the next.
  // Called by the server thread for a posted request, or by the set-up while no read runs.
  Result<chain::Digest> commit_with_answers(const Bytes& request, std::uint64_t block_time_ms) {
    const chain::Digest id = chain::transaction_id(request);
    HC_RETURN_IF_ERROR(chain_.validate({request}, block_time_ms));
    HC_RETURN_IF_ERROR(chain_.commit({request}, block_time_ms).status());
    HC_ASSIGN_OR_RETURN(auto loc, chain_.store->find_transaction(id));
    if (!loc) return Status::error(ErrorCode::kInternal, "the request just committed is not found");
    HC_ASSIGN_OR_RETURN(chain::Block block, chain_.store->read_block(loc->height));
    HC_ASSIGN_OR_RETURN(chain::Transaction decoded, chain::decode_transaction(block.transactions[loc->index]));
    const auto& tx = std::get<chain::AccessRequestTx>(decoded);
    std::vector<Bytes> answers;
    for (auto& duty : duties_) {
      bool skipped = false;
      HC_ASSIGN_OR_RETURN(auto answer, duty->answer(id, tx, loc->height, skipped));
      if (answer) answers.push_back(answer->encoding);
    }
    HC_RETURN_IF_ERROR(chain_.commit(answers, block_time_ms + 1).status());
    return id;
  }

 private:
  Bytes record_tx(std::size_t patient, std::uint8_t visit_number, const std::string& diagnosis,
                  std::optional<std::string> fhir) {
    const chain::Serial s = serial_of(patient);
    crypto::SerialNumber serial{};
    std::copy(s.begin(), s.end(), serial.begin());
    auto visit = crypto::make_visit("2026-11-2" + std::to_string(visit_number) + "T08:00:00Z", diagnosis, std::move(fhir));
    auto sealed = crypto::seal_record_v2(visit.value(), serial, access_key_.group_key).value();
    chain::RecordTx r;
    r.sealed = chain::chain_record_of(sealed).value();
    r.epoch = 0;
    r.group_signature = eg::encode_signature(eg::sign(*signer_, chain::span_of(chain::record_signing_digest(r))));
    return chain::encode_transaction(r);
  }

  net::HttpResponse handle(const net::HttpRequest& r) {
    std::lock_guard lock(mutex_);
    const std::string path = r.path();
    if (r.method == "GET" && path.rfind("/v1/records/", 0) == 0) {
      auto serial = chain::digest_from_hex(path.substr(12));
      if (!serial.ok()) return net::HttpResponse::error(400, "invalid_input", "serial");
      return net::HttpResponse::json(200, records_answer(*serial).dump());
    }
    if (r.method == "GET" && path == "/v1/access-key") return net::HttpResponse::json(200, access_key_answer().dump());
    if (r.method == "GET" && path.rfind("/v1/access-requests/", 0) == 0) {
      auto answer = node::access_request_answer(*chain_.store, path.substr(20));
      return answer.ok() ? net::HttpResponse::json(200, answer->dump()) : net::HttpResponse::from_status(answer.status());
    }
    if (r.method == "POST" && path == "/v1/manager/transactions") {
      const json body = json::parse(r.body, nullptr, false);
      auto encoding = from_base64(body.value("transaction", std::string()));
      if (!encoding.ok()) return net::HttpResponse::error(400, "invalid_input", "transaction");
      auto id = commit_with_answers(*encoding, unix_now_ms());
      if (!id.ok()) return net::HttpResponse::from_status(id.status());
      return net::HttpResponse::json(202, json{{"tx_id", chain::digest_hex(*id)}, {"status", "pending"}}.dump());
    }
    if (r.method == "GET" && path.rfind("/v1/tx/", 0) == 0) {
      auto id = chain::digest_from_hex(path.substr(7));
      auto loc = id.ok() ? chain_.store->find_transaction(*id) : Result<std::optional<chain::TxLocation>>(id.status());
      if (!loc.ok() || !loc->has_value()) return net::HttpResponse::error(404, "not_found", "no such transaction");
      return net::HttpResponse::json(200, json{{"status", "committed"}, {"height", (*loc)->height}, {"index", (*loc)->index}}.dump());
    }
    return net::HttpResponse::error(404, "not_found", "bench node");
  }

  TrusteesChain chain_{4, 3, "bench-console"};
  std::unique_ptr<chain::Bbs04RecordVerifier> verifier_;
  th::AccessKeyPublic access_key_;
  th::OpenerKeyPublic opener_key_;
  std::unique_ptr<eg::MemberKey> signer_;
  std::vector<std::unique_ptr<node::TrusteeDuties>> duties_;
  node::AccessKeyAnswers key_answers_;
  std::unique_ptr<ChainTrust> trust_;
  std::mutex mutex_;
  std::atomic<std::uint64_t> node_ns_{0};
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
};

ConsoleBenchChain& bench_chain() {
  static ConsoleBenchChain chain;
  return chain;
}

net::HttpRequest console_request(const ConsoleApp& app, const std::string& method, const std::string& target,
                                 const std::string& body = "") {
  net::HttpRequest r;
  r.method = method;
  r.target = target;
  r.body = body;
  r.headers["host"] = "127.0.0.1:" + std::to_string(kConsolePort);
  r.headers["x-console-token"] = app.session_token();
  return r;
}

// The reference patient's read, done once with the client's own steps: what the step
// benchmarks start from.
struct ReferenceRead {
  chain::Digest request_id{};
  RequesterKey requester = RequesterKey::fresh();
  std::vector<RecordToRead> records;
  std::vector<RecordToOpen> to_open;
  json request_answer;
  ProvenAccessRequest proven;
  std::vector<TrusteeAnswer> answers;
  std::vector<OpeningAnswer> opening_answers;
  std::map<std::uint64_t, groupsig::Registry> registries;
  PatientHistory history;
};

const ReferenceRead& reference_read() {
  static const ReferenceRead read = [] {
    ConsoleBenchChain& b = bench_chain();
    ReferenceRead out;
    const chain::Serial serial = serial_of(kReferencePatient);
    const auto items = verify_serial_answer(b.records_answer(serial), serial, b.trust().certificates()).value();
    chain::AccessRequestTx request = b.chain().request(serial, unix_now_ms());
    for (const VerifiedItem& item : items) {
      const auto& record = std::get<chain::RecordTx>(item.tx);
      out.records.push_back({item.tx_id, chain::client_record_v2_of(record.sealed).value()});
      out.to_open.push_back({item.tx_id, record.group_signature});
    }
    std::sort(out.records.begin(), out.records.end(), [](const auto& x, const auto& y) { return x.record_id < y.record_id; });
    std::sort(out.to_open.begin(), out.to_open.end(), [](const auto& x, const auto& y) { return x.record_id < y.record_id; });
    for (const RecordToRead& r : out.records) request.record_ids.push_back(r.record_id);
    request.requester_key = out.requester.public_key();
    request.open = true;
    chain::Transaction tx(request);
    HC_CHECK(chain::sign_manager_tx(tx, b.chain().c.admin_seed()).ok());
    out.request_id = b.commit_with_answers(chain::encode_transaction(tx), unix_now_ms()).value();
    out.request_answer = b.request_answer(chain::digest_hex(out.request_id));
    out.proven = verify_access_request_answer(out.request_answer, out.request_id, b.trust()).value();
    for (const ProvenShareAnswer& a : out.proven.answers) {
      if (out.answers.size() == b.access_key().threshold) break;  // t of them, as a read combines
      out.answers.push_back({a.shares.trustee, a.shares.share_boxes});
      out.opening_answers.push_back({a.shares.trustee, a.shares.partial_openings});
    }
    out.registries[0] = chain::testing::trustees_chain_group().registry;
    auto decrypted = read_with_decryption_shares(b.access_key(), out.request_id, out.requester.secret(), out.records, out.answers).value();
    auto opened = open_with_partial_openings(b.opener_key(), out.registries, out.request_id, out.to_open, out.opening_answers).value();
    out.history.verified_items = items.size();
    for (ReadVisit& v : decrypted.visits) {
      const auto item = std::find_if(items.begin(), items.end(), [&](const VerifiedItem& i) { return i.tx_id == v.record_id; });
      const auto member = std::find_if(opened.records.begin(), opened.records.end(),
                                       [&](const OpenedRecord& o) { return o.record_id == v.record_id; });
      out.history.visits.push_back(PatientVisit{item->height, chain::digest_hex(item->tx_id), 0, std::move(v.visit), member->member});
    }
    return out;
  }();
  return read;
}

void BM_ConsoleRead(benchmark::State& state) {
  ConsoleBenchChain& b = bench_chain();
  BenchRequester requester(b.chain(), b.trust());
  ConsoleApp app(bench_pseudonym_key(), b.trust(), [](const std::string&) -> Result<json> {
    return Status::error(ErrorCode::kUnavailable, "not asked");
  });
  app.set_port(kConsolePort);
  const std::string url = b.url();
  // As `hc console` runs a read: the worker's own connections to the node, then the retrieval.
  ConsoleAccess access(
      [&requester, url](const chain::Serial& serial, const ThresholdRetrievalOptions& options) -> Result<ThresholdRetrieval> {
        HC_ASSIGN_OR_RETURN(NodeClient reader, NodeClient::connect(url, "reader-token"));
        HC_ASSIGN_OR_RETURN(NodeClient writer, NodeClient::connect(url));
        return retrieve_with_trustees(requester, reader, writer, serial, options);
      },
      "manager", 60000);
  app.set_access(&access);
  std::size_t patient = 0;
  double node_ms = 0, wall_ms = 0;
  b.take_node_ns();
  for (auto _ : state) {
    const auto started = Clock::now();
    const json body = {{"name", patient_name(patient)}, {"id", patient_id(patient)}, {"purpose", "benchmark: console read"}};
    auto posted = app.handle(console_request(app, "POST", "/console-api/access", body.dump()));
    if (posted.status != 202) {
      state.SkipWithError(("the read was refused: " + posted.body).c_str());
      break;
    }
    const std::string job = json::parse(posted.body)["job"];
    json view;
    do {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      view = json::parse(app.handle(console_request(app, "GET", "/console-api/access/" + job)).body);
    } while (view["state"] == "running");
    wall_ms += std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    node_ms += static_cast<double>(b.take_node_ns()) / 1e6;
    if (view["state"] != "done" || view["history"]["visits"].size() != 2) {
      state.SkipWithError(("the read failed: " + view.dump()).c_str());
      break;
    }
    ++patient;
  }
  const double reads = static_cast<double>(std::max<std::size_t>(patient, 1));
  state.counters["node_ms"] = node_ms / reads;
  state.counters["console_ms"] = (wall_ms - node_ms) / reads;
}
BENCHMARK(BM_ConsoleRead)->Iterations(kPatients)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ConsoleVerifyAccessKey(benchmark::State& state) {
  ConsoleBenchChain& b = bench_chain();
  const json answer = b.access_key_answer();
  for (auto _ : state) {
    auto key = verify_access_key_answer(answer, b.trust());
    if (!key.ok() || !key->opener_key) state.SkipWithError("the access key answer does not verify");
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_ConsoleVerifyAccessKey)->Unit(benchmark::kMillisecond);

void BM_ConsoleVerifyAnswers(benchmark::State& state) {
  const ReferenceRead& r = reference_read();
  for (auto _ : state) {
    auto proven = verify_access_request_answer(r.request_answer, r.request_id, bench_chain().trust());
    if (!proven.ok() || proven->answers.size() != 4) state.SkipWithError("the answers do not verify");
    benchmark::DoNotOptimize(proven);
  }
}
BENCHMARK(BM_ConsoleVerifyAnswers)->Unit(benchmark::kMillisecond);

void BM_ConsoleDecrypt(benchmark::State& state) {
  const ReferenceRead& r = reference_read();
  for (auto _ : state) {
    auto read = read_with_decryption_shares(bench_chain().access_key(), r.request_id, r.requester.secret(), r.records, r.answers);
    if (!read.ok() || read->visits.size() != 2) state.SkipWithError("the shares do not decrypt the visits");
    benchmark::DoNotOptimize(read);
  }
}
BENCHMARK(BM_ConsoleDecrypt)->Unit(benchmark::kMillisecond);

void BM_ConsoleOpen(benchmark::State& state) {
  const ReferenceRead& r = reference_read();
  for (auto _ : state) {
    auto opened = open_with_partial_openings(bench_chain().opener_key(), r.registries, r.request_id, r.to_open, r.opening_answers);
    if (!opened.ok() || opened->records.size() != 2) state.SkipWithError("the partial openings do not name the hospitals");
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_ConsoleOpen)->Unit(benchmark::kMillisecond);

void BM_ConsoleHistoryJson(benchmark::State& state) {
  const ReferenceRead& r = reference_read();
  for (auto _ : state) {
    std::string text = history_json(r.history, "");
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_ConsoleHistoryJson)->Unit(benchmark::kMicrosecond);

void BM_ConsoleFind(benchmark::State& state) {
  ConsoleBenchChain& b = bench_chain();
  const ReferenceRead& r = reference_read();
  const json by_serial = b.records_answer(serial_of(kReferencePatient));
  ConsoleApp app(bench_pseudonym_key(), b.trust(), [&by_serial](const std::string&) -> Result<json> { return by_serial; });
  app.set_request_answers([&r](const std::string&) -> Result<json> { return r.request_answer; });
  app.set_port(kConsolePort);
  const std::string body = json{{"name", patient_name(kReferencePatient)}, {"id", patient_id(kReferencePatient)}}.dump();
  for (auto _ : state) {
    auto found = app.handle(console_request(app, "POST", "/console-api/find", body));
    if (found.status != 200) state.SkipWithError(("the find failed: " + found.body).c_str());
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_ConsoleFind)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hc::client

BENCHMARK_MAIN();
