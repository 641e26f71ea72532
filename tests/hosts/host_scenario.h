// The scenario the hosts tests run on a HostConsortium (host_consortium.h), shared by the CI
// test (4 hosts, hosts_test.cpp) and the long run (7 hosts, hosts_long_test.cpp,
// scripts/hosts.sh): the end-to-end flow over HTTPS with the client pinned to the genesis,
// SIGKILL of the primary, a partition of f hosts that heals. Every wait is bounded in time;
// the phases print how long they took.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "hosts/host_consortium.h"

namespace hc::hosts {

// Skips the test (with the reason) where namespaces cannot be made; fails on other errors.
#define HC_DEPLOY_HOSTS_OR_SKIP(var, dir, hosts, ...)                                               \
  auto var##_result = HostConsortium::deploy((dir), (hosts), __VA_ARGS__);                         \
  if (!var##_result.ok() && var##_result.status().code() == ErrorCode::kUnavailable &&             \
      var##_result.status().message().find("namespaces") != std::string::npos) {                   \
    GTEST_SKIP() << "hosts test skipped: " << var##_result.status().message();                     \
  }                                                                                                \
  ASSERT_TRUE(var##_result.ok()) << var##_result.status().to_string();                            \
  std::unique_ptr<HostConsortium> var = std::move(var##_result).value()

class HostScenario {
 public:
  // `started`: when the deployment began (the first phase printed counts from there).
  HostScenario(HostConsortium& c, std::chrono::steady_clock::time_point started) : c_(c), started_(started) {}

  // `hc record submit --wait` by the doctor of hospital i: HTTPS to its node, the envelope key
  // verified against the genesis. Returns hc's exit code; the diagnosis is remembered for check().
  int submit(std::size_t i, const std::string& diagnosis) {
    const auto visit = c_.dir() / "visit.txt";
    const std::string time = "2026-11-29T" + two_digits(8 + submitted_.size() / 60) + ":" +
                             two_digits(submitted_.size() % 60) + ":00Z";
    EXPECT_TRUE(write_text_file_atomic(visit, "name: Ada Hosts\nid: H-1\ntime: " + time + "\ndiagnosis: " +
                                                  diagnosis + "\n", 0600).ok());
    std::string out;
    int rc = c_.hc("record submit --wait --node " + c_.nodes()[i].api_url + " --token-file " +
                       c_.doctor_token_file(i).string() + " --pseudonym-key " +
                       (c_.manager_dir() / "pseudonym.key").string() + " --genesis " +
                       (c_.nodes()[i].dir / "genesis.json").string() + " --visit-file " + visit.string(),
                   &out);
    if (rc == 0) submitted_.insert({diagnosis, c_.nodes()[i].name});
    return rc;
  }

  // `hc manager retrieve --json` through node i returns exactly the visits submitted, each
  // opened to the hospital that submitted it.
  void check_retrieve(std::size_t i) {
    const auto patient = c_.dir() / "patient.txt";
    ASSERT_TRUE(write_text_file_atomic(patient, "name: Ada Hosts\nid: H-1\n", 0600).ok());
    std::string out;
    ASSERT_EQ(c_.hc("manager retrieve --json --dir " + c_.manager_dir().string() + " --node " +
                        c_.nodes()[i].api_url + " --patient-file " + patient.string() + " --purpose 'hosts test'",
                    &out),
              0)
        << out;
    auto doc = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << out.substr(0, 300);
    std::set<std::pair<std::string, std::string>> got;
    for (const auto& v : doc.at("visits")) {
      got.insert({v.at("diagnosis").get<std::string>(), v.at("hospital").get<std::string>()});
    }
    EXPECT_EQ(got, submitted_);
    EXPECT_TRUE(doc.at("unreadable").empty()) << out.substr(0, 300);
  }

  std::vector<std::size_t> all() const {
    std::vector<std::size_t> v;
    for (std::size_t i = 0; i < c_.nodes().size(); ++i) v.push_back(i);
    return v;
  }
  std::uint64_t height(std::size_t i) const {
    auto st = c_.status(i);
    return st.ok() ? st->value("height", std::uint64_t{0}) : 0;
  }

  // Prints how long the step since the last one took.
  void phase(const std::string& name) {
    auto now = std::chrono::steady_clock::now();
    std::printf("[hosts] %zu hosts: %s in %.1f s\n", c_.nodes().size(), name.c_str(),
                std::chrono::duration<double>(now - started_).count());
    std::fflush(stdout);
    started_ = now;
  }

  // The WAN is there: a status call over HTTPS (TCP, TLS handshake, request: at least two round
  // trips through the relay) takes at least two round trips of 2 x delay, on every host.
  void check_wan_delay() {
    for (std::size_t i : all()) {
      double best_ms = 1e9;
      for (int k = 0; k < 3; ++k) {
        auto t0 = std::chrono::steady_clock::now();
        ASSERT_TRUE(c_.reachable(i, 5000)) << c_.nodes()[i].name;
        best_ms = std::min(best_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      EXPECT_GE(best_ms, 4.0 * c_.delay().api_ms) << c_.nodes()[i].name << ": the relay's delay is missing";
      if (i == 0) std::printf("[hosts] status over HTTPS from the LAN to %s: %.1f ms\n", c_.nodes()[i].name.c_str(), best_ms);
    }
  }

  // Phase 1: a visit from every hospital commits; retrieval through another node; one chain.
  void flow() {
    for (std::size_t i = 0; i < c_.nodes().size(); ++i) {
      ASSERT_EQ(submit(i, "flow visit at " + c_.nodes()[i].name), 0) << "submission through " << c_.nodes()[i].name;
    }
    check_retrieve(c_.nodes().size() - 1);
    auto h = c_.wait_converged(all(), height(0), 30000);
    ASSERT_TRUE(h.ok()) << h.status().to_string();
    phase("flow (a visit from every hospital, retrieval)");
  }

  // Phase 2: SIGKILL of the primary; the others change view and keep committing; restarted,
  // it catches up to the same chain.
  void primary_kill() {
    auto st = c_.status(0);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    const auto primary = st->at("primary").get<std::size_t>();
    const auto view = st->at("view").get<std::uint64_t>();
    c_.kill_node(primary);
    std::vector<std::size_t> live;
    for (std::size_t i : all()) {
      if (i != primary) live.push_back(i);
    }
    for (std::size_t k = 0; k < 2; ++k) {
      const std::size_t via = live[k % live.size()];
      ASSERT_EQ(submit(via, "after the primary's kill " + std::to_string(k)), 0) << "through " << c_.nodes()[via].name;
    }
    auto after = c_.status(live[0]);
    ASSERT_TRUE(after.ok());
    EXPECT_GT(after->at("view").get<std::uint64_t>(), view) << "the backups moved to a new view";
    ASSERT_TRUE(c_.start_node(primary).ok());
    auto h = c_.wait_converged(all(), height(live[0]), 60000);
    ASSERT_TRUE(h.ok()) << h.status().to_string();
    check_retrieve(primary);
    phase("primary killed, view change, restarted and caught up");
  }

  // Phase 3: f hosts (not the primary) cut off the LAN; the others commit; healed, the cut
  // hosts catch up to the same chain and commit again.
  void partition() {
    auto st = c_.status(0);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    const auto primary = st->at("primary").get<std::size_t>();
    std::vector<std::size_t> cut, connected;
    for (std::size_t i = c_.nodes().size(); i-- > 0;) {
      (cut.size() < c_.faults_tolerated() && i != primary ? cut : connected).push_back(i);
    }
    for (std::size_t i : cut) ASSERT_TRUE(c_.set_connected(i, false).ok());
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t via = connected[k % connected.size()];
      EXPECT_EQ(submit(via, "during the partition " + std::to_string(k)), 0) << "through " << c_.nodes()[via].name;
    }
    for (std::size_t i : cut) EXPECT_FALSE(c_.reachable(i, 1000)) << c_.nodes()[i].name << " is cut off";
    const std::uint64_t reached = height(connected[0]);
    phase("commits without the cut host(s)");
    for (std::size_t i : cut) ASSERT_TRUE(c_.set_connected(i, true).ok());
    auto h = c_.wait_converged(all(), reached, 60000);
    ASSERT_TRUE(h.ok()) << h.status().to_string();
    phase("the cut host(s) caught up");
    for (std::size_t i : cut) {
      ASSERT_EQ(submit(i, "after the partition healed at " + c_.nodes()[i].name), 0) << "through " << c_.nodes()[i].name;
    }
    check_retrieve(cut[0]);
    phase("the healed host(s) commit again");
  }

 private:
  static std::string two_digits(std::size_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

  HostConsortium& c_;
  std::set<std::pair<std::string, std::string>> submitted_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace hc::hosts
