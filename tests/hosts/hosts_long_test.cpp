// The long run across separate hosts (issue 15 item 5), not part of CTest: scripts/hosts.sh
// runs it and prints the figures. 7 hospitals in network namespaces with 20 ms one-way between
// hosts: the flow, SIGKILL of the primary, a partition of f = 2 hosts that heals
// (host_scenario.h); then `hc bench` on 4 and 7 hosts (the paper's Figures 9 and 10 on real
// processes). In the bench the WAN delay is between the nodes (peer port) only: the doctors
// who submit are on their own hospital's network, next to its node (with the API 20 ms away
// too, hc bench's follower, one HTTPS request per block, would measure itself).
// Environment: HC_HOSTS_BENCH="N:R,R N:R" (hosts and offered rates; default
// "4:10,25,50,100 7:10,25,50"), HC_HOSTS_BENCH_SECONDS (default 20), HC_HOSTS_DELAY_MS (20),
// HC_HOSTS_BENCH_API_DELAY_MS (0).
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "hosts/host_scenario.h"
#include "support/temp_dir.h"

namespace hc::hosts {
namespace {

int long_env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

TEST(HostsLong, SevenHostsFlowPrimaryKillAndPartition) {
  test::TempDir dir;
  const auto started = std::chrono::steady_clock::now();
  const int delay_ms = long_env_int("HC_HOSTS_DELAY_MS", 20);
  HC_DEPLOY_HOSTS_OR_SKIP(consortium, dir.path() / "c", 7, HostConsortium::WanDelay{delay_ms, delay_ms});
  HostScenario scenario(*consortium, started);
  scenario.phase("deployed (init, assemble, join, start, bootstrap)");
  scenario.check_wan_delay();
  scenario.flow();
  if (!HasFatalFailure()) scenario.primary_kill();
  if (!HasFatalFailure()) scenario.partition();
  if (HasFailure()) std::cerr << consortium->log_tails(25);
}

// One `hc bench` line per (hosts, rate): committed records/s and latency, as hc prints them.
TEST(HostsLong, BenchOnRealProcessesAcrossHosts) {
  const char* spec_env = std::getenv("HC_HOSTS_BENCH");
  std::istringstream spec(spec_env && *spec_env ? spec_env : "4:10,25,50,100 7:10,25,50");
  const int seconds = long_env_int("HC_HOSTS_BENCH_SECONDS", 20);
  const int delay_ms = long_env_int("HC_HOSTS_DELAY_MS", 20);
  const int api_delay_ms = long_env_int("HC_HOSTS_BENCH_API_DELAY_MS", 0);
  ASSERT_GT(seconds, 0);
  ASSERT_LE(seconds, 300);
  for (std::string item; spec >> item;) {
    const auto colon = item.find(':');
    ASSERT_NE(colon, std::string::npos) << "HC_HOSTS_BENCH items are N:R,R,...: " << item;
    const std::size_t hosts = std::stoul(item.substr(0, colon));
    test::TempDir dir;
    // As an operator would for a load test: the per-doctor request limit raised in node.json.
    HC_DEPLOY_HOSTS_OR_SKIP(consortium, dir.path() / "c", hosts, HostConsortium::WanDelay{delay_ms, api_delay_ms},
                            100000);
    auto cluster_dir = consortium->write_cluster_file();
    ASSERT_TRUE(cluster_dir.ok()) << cluster_dir.status().to_string();
    std::istringstream rates(item.substr(colon + 1));
    for (std::string rate; std::getline(rates, rate, ',');) {
      const auto csv = dir.path() / ("bench-" + std::to_string(hosts) + "-" + rate + ".csv");
      std::string out;
      const int rc = consortium->hc("bench --dir " + cluster_dir->string() + " --rate " + rate + " --duration " +
                                        std::to_string(seconds) + " --verify-ms 1.424 --csv " + csv.string(),
                                    &out);
      EXPECT_EQ(rc, 0) << out;
      std::istringstream lines(out);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("per-record CSV", 0) != 0) {
          std::printf("[bench] %zu hosts, %d ms between nodes, %d ms to the API: %s\n", hosts, delay_ms, api_delay_ms,
                      line.c_str());
        }
      }
      std::fflush(stdout);
      EXPECT_NE(out.find("throughput"), std::string::npos) << out;
      EXPECT_NE(out.find(" 0 rejected"), std::string::npos) << out;
    }
    if (HasFailure()) std::cerr << consortium->log_tails(25);
  }
}

}  // namespace
}  // namespace hc::hosts
