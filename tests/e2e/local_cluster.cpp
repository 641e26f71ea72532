#include "e2e/local_cluster.h"

#include "client/envelope_key_trust.h"
#include "client/genesis_trust.h"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/serial_number.h"
#include "crypto/visit.h"
#include "net/http_client.h"

namespace hc::e2e {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kPassphrase = "e2e-test-passphrase-not-secret";


std::string proc_cmdline(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text;
}

// True while the process exists and is not a zombie.
bool process_alive(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

}  // namespace

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<std::unique_ptr<LocalCluster>> LocalCluster::up(const fs::path& dir, std::uint32_t nodes, bool https,
                                                       const std::string& extra_up_args) {
  ::setenv("HC_PASSPHRASE", kPassphrase, 1);
  ::setenv("HC_NODE_BIN", HC_BINARY_DIR "/bin/hc-node", 1);
  std::unique_ptr<LocalCluster> cluster(new LocalCluster());
  cluster->dir_ = dir;
  fs::create_directories(dir.parent_path());
  int rc = cluster->run_hc("cluster up --nodes " + std::to_string(nodes) + (https ? "" : " --plain-http") + " --dir " +
                           shell_quoted(dir.string()) + (extra_up_args.empty() ? "" : " " + extra_up_args));
  if (rc != 0) {
    // Whatever was started is stopped by the destructor.
    std::string tails = cluster->log_tails(15);
    return Status::error(ErrorCode::kUnavailable, "hc cluster up exited " + std::to_string(rc) + "\n" + tails);
  }
  HC_RETURN_IF_ERROR(cluster->load());
  return cluster;
}

Status LocalCluster::load() {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(dir_ / "cluster.json", 1 << 20));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("nodes")) return Status::error(ErrorCode::kCorrupt, "bad cluster.json");
  nodes_.clear();
  for (const json& n : doc["nodes"]) {
    ClusterNode node;
    node.name = n.at("name").get<std::string>();
    node.id = n.at("id").get<std::uint32_t>();
    node.api_url = n.at("api_url").get<std::string>();
    node.config_file = n.at("config").get<std::string>();
    node.node_dir = node.config_file.parent_path();
    node.doctor_token_file = n.at("doctor_token_file").get<std::string>();
    HC_ASSIGN_OR_RETURN(node.doctor_token, client::read_token_file(node.doctor_token_file));
    nodes_.push_back(std::move(node));
  }
  fs::path manager = doc.at("manager_dir").get<std::string>();
  manager_dir_ = manager;
  HC_ASSIGN_OR_RETURN(reader_token_, client::read_token_file(manager / "reader.token"));
  HC_ASSIGN_OR_RETURN(pseudonym_key_, crypto::load_pseudonym_key(manager / "pseudonym.key"));
  genesis_file_ = doc.at("genesis").get<std::string>();
  HC_ASSIGN_OR_RETURN(tls_anchors_, client::tls_anchors_from_genesis_file(genesis_file_));
  return Status();
}

LocalCluster::~LocalCluster() {
  if (!down_) (void)down();
  kill_leftovers();
}

int LocalCluster::run_hc(const std::string& args) const {
  std::string command = shell_quoted(HC_BINARY_DIR "/bin/hc") + " " + args + " >> " +
                        shell_quoted((dir_.parent_path() / (dir_.filename().string() + "-hc.log")).string()) + " 2>&1";
  int rc = std::system(command.c_str());
  if (rc == -1 || !WIFEXITED(rc)) return -1;
  return WEXITSTATUS(rc);
}

Result<std::string> LocalCluster::hc_output(const std::string& args) const {
  fs::path out = dir_.parent_path() / (dir_.filename().string() + "-hc.out");
  std::string command = shell_quoted(HC_BINARY_DIR "/bin/hc") + " " + args + " > " + shell_quoted(out.string()) + " 2>> " +
                        shell_quoted((dir_.parent_path() / (dir_.filename().string() + "-hc.log")).string());
  int rc = std::system(command.c_str());
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(out, 16 << 20));
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    return Status::error(ErrorCode::kInternal, "hc " + args + " failed (status " + std::to_string(rc) + ")");
  }
  return text;
}

Status LocalCluster::down() {
  if (!fs::exists(dir_ / "cluster.json")) return Status();
  int rc = run_hc("cluster down --dir " + shell_quoted(dir_.string()));
  down_ = true;
  if (rc != 0) return Status::error(ErrorCode::kInternal, "hc cluster down exited " + std::to_string(rc));
  return Status();
}

Status LocalCluster::stop_node(const std::string& name) {
  int rc = run_hc("cluster stop-node --dir " + shell_quoted(dir_.string()) + " " + shell_quoted(name));
  if (rc != 0) return Status::error(ErrorCode::kInternal, "hc cluster stop-node exited " + std::to_string(rc));
  return Status();
}

Status LocalCluster::start_node(const std::string& name) {
  int rc = run_hc("cluster start-node --dir " + shell_quoted(dir_.string()) + " " + shell_quoted(name));
  if (rc != 0) return Status::error(ErrorCode::kInternal, "hc cluster start-node exited " + std::to_string(rc));
  return Status();
}

void LocalCluster::kill_leftovers() const {
  auto text = read_text_file(dir_ / "cluster.json", 1 << 20);
  if (!text.ok()) return;
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("nodes")) return;
  std::vector<std::int64_t> killed;
  for (const json& n : doc["nodes"]) {
    std::int64_t pid = n.value("pid", std::int64_t{0});
    std::string config = n.value("config", std::string());
    if (pid <= 0 || !process_alive(pid)) continue;
    std::string cmdline = proc_cmdline(pid);
    if (cmdline.find("hc-node") == std::string::npos || cmdline.find(config) == std::string::npos) continue;
    ::kill(static_cast<pid_t>(pid), SIGKILL);
    killed.push_back(pid);
  }
  auto deadline = Clock::now() + std::chrono::seconds(5);
  for (std::int64_t pid : killed) {
    while (process_alive(pid) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

client::NodeClient LocalCluster::doctor(std::uint32_t node) const {
  return client::NodeClient::connect(nodes_.at(node).api_url, nodes_.at(node).doctor_token, tls_anchors_).value();
}

client::NodeClient LocalCluster::anonymous(std::uint32_t node) const {
  return client::NodeClient::connect(nodes_.at(node).api_url, {}, tls_anchors_).value();
}

client::NodeClient LocalCluster::reader(std::uint32_t node) const {
  return client::NodeClient::connect(nodes_.at(node).api_url, reader_token_, tls_anchors_).value();
}

Result<Patient> LocalCluster::patient(const std::string& name, const std::string& id) const {
  Patient p{name, id, {}};
  HC_ASSIGN_OR_RETURN(p.serial, crypto::compute_serial(pseudonym_key_.span(), name, id));
  return p;
}

Result<crypto::EnvelopePublicKey> LocalCluster::envelope_key(std::uint32_t node) const {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(genesis_file_));
  HC_ASSIGN_OR_RETURN(client::TrustedEnvelopeKey key,
                      client::fetch_trusted_envelope_key(anonymous(node), trust, client::freshness_now()));
  return std::move(key.key);
}

Result<crypto::SealedRecord> LocalCluster::seal(const Patient& p, const std::string& diagnosis) const {
  if (!envelope_key_) {
    auto key = envelope_key(0);
    if (!key.ok()) return key.status();
    envelope_key_ = std::move(key).value();
  }
  HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit("2026-11-24T09:30:00Z", diagnosis, std::nullopt));
  return crypto::seal_record(visit, p.serial, *envelope_key_);
}

bool process_running(std::int64_t pid) { return process_alive(pid); }

std::optional<std::int64_t> LocalCluster::node_pid(const std::string& name) const {
  auto text = read_text_file(dir_ / "cluster.json", 1 << 20);
  if (!text.ok()) return std::nullopt;
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("nodes")) return std::nullopt;
  for (const json& n : doc["nodes"]) {
    if (n.value("name", std::string()) != name) continue;
    std::int64_t pid = n.value("pid", std::int64_t{0});
    if (pid > 0) return pid;
  }
  return std::nullopt;
}

std::string LocalCluster::node_log(const std::string& name) const {
  for (const ClusterNode& n : nodes_) {
    if (n.name != name) continue;
    auto text = read_text_file(n.node_dir / "node.log", 64 << 20);
    return text.ok() ? *text : std::string();
  }
  return {};
}

std::string LocalCluster::log_tails(std::size_t lines) const {
  std::ostringstream out;
  std::error_code ec;
  if (!fs::is_directory(dir_ / "nodes", ec)) return "(no node logs)";
  for (const auto& entry : fs::directory_iterator(dir_ / "nodes", ec)) {
    std::ifstream in(entry.path() / "node.log");
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    out << "--- " << entry.path().filename().string() << " (last " << lines << " lines)\n";
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out << all[i] << "\n";
  }
  return out.str();
}

Result<net::HttpResponse> http(const std::string& api_url, const std::string& method, const std::string& path,
                               const std::string& body, const std::string& token) {
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(api_url));
  net::HttpCallOptions options;
  options.bearer_token = token;
  options.timeout_ms = 10000;
  return net::http_call(url, method, path, body, options);
}

Result<json> node_status(const std::string& api_url) {
  HC_ASSIGN_OR_RETURN(net::HttpResponse r, http(api_url, "GET", "/v1/status"));
  json doc = json::parse(r.body, nullptr, false);
  if (r.status != 200 || doc.is_discarded()) {
    return Status::error(ErrorCode::kUnavailable, "status: HTTP " + std::to_string(r.status));
  }
  return doc;
}

Result<std::vector<ChainBlock>> read_chain(const std::string& api_url, std::uint64_t height) {
  std::vector<ChainBlock> chain;
  for (std::uint64_t h = 1; h <= height; ++h) {
    HC_ASSIGN_OR_RETURN(net::HttpResponse r, http(api_url, "GET", "/v1/blocks/" + std::to_string(h)));
    json doc = json::parse(r.body, nullptr, false);
    if (r.status != 200 || doc.is_discarded()) {
      return Status::error(ErrorCode::kUnavailable, api_url + " block " + std::to_string(h) + ": HTTP " +
                                                        std::to_string(r.status) + " " + r.body);
    }
    ChainBlock block;
    block.height = doc.at("height").get<std::uint64_t>();
    block.hash = doc.at("hash").get<std::string>();
    for (const json& t : doc.at("transactions")) {
      HC_ASSIGN_OR_RETURN(chain::Transaction tx, chain::transaction_from_json(t));
      block.tx_ids.push_back(chain::digest_hex(chain::transaction_id(chain::encode_transaction(tx))));
      block.txs.push_back(t);
    }
    chain.push_back(std::move(block));
  }
  return chain;
}

Result<std::string> submit_with_retry(const client::NodeClient& node, const crypto::SealedRecord& record,
                                      int attempts) {
  Status last;
  for (int i = 0; i < attempts; ++i) {
    auto id = node.submit_record(record);
    if (id.ok()) return id->tx_id;
    last = id.status();
    if (last.code() != ErrorCode::kUnavailable) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

Status wait_all_committed(const client::NodeClient& node, const std::vector<std::string>& tx_ids,
                          std::uint32_t timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (const std::string& id : tx_ids) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    auto s = node.wait_committed(id, static_cast<std::uint32_t>(std::max<long long>(left, 1)));
    if (!s.ok()) return s.status();
  }
  return Status();
}

namespace {
// The common height and tip hash of every node, or nullopt if they differ or one is down.
std::optional<std::uint64_t> common_tip(const std::vector<std::string>& api_urls, std::uint64_t min_height) {
  std::optional<std::uint64_t> height;
  for (const std::string& url : api_urls) {
    auto st = node_status(url);
    if (!st.ok()) return std::nullopt;
    std::uint64_t h = st->at("height").get<std::uint64_t>();
    if (height && *height != h) return std::nullopt;
    height = h;
  }
  if (!height || *height < min_height) return std::nullopt;
  std::string hash;
  for (const std::string& url : api_urls) {
    auto r = http(url, "GET", "/v1/blocks/" + std::to_string(*height));
    if (!r.ok() || r->status != 200) return std::nullopt;
    json doc = json::parse(r->body, nullptr, false);
    if (doc.is_discarded()) return std::nullopt;
    std::string h = doc.value("hash", std::string());
    if (!hash.empty() && h != hash) return std::nullopt;
    hash = h;
  }
  return height;
}
}  // namespace

Result<std::uint64_t> wait_converged(const std::vector<std::string>& api_urls, std::uint64_t min_height,
                                     std::uint32_t timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (auto h = common_tip(api_urls, min_height)) return *h;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::string heights;
  for (const std::string& url : api_urls) {
    auto st = node_status(url);
    heights += " " + url + "=" + (st.ok() ? std::to_string(st->value("height", std::uint64_t{0})) : "down");
  }
  return Status::error(ErrorCode::kUnavailable, "nodes did not converge within " + std::to_string(timeout_ms) +
                                                    " ms (min height " + std::to_string(min_height) + "):" + heights);
}

}  // namespace hc::e2e
