// Crash safety: a child process commits blocks in a loop and is killed with SIGKILL at random
// moments, many times. After each kill the ledger reopens consistent (every block links, checks
// and carries its certificate; the tip matches the last block) and no block whose commit was
// acknowledged is lost.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>

#include "chain/chain_verifier.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  int out_fd = -1;
};

Child spawn_helper(const std::string& dir) {
  int fds[2];
  HC_CHECK(::pipe(fds) == 0);
  pid_t pid = ::fork();
  HC_CHECK(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::string helper = std::string(HC_BINARY_DIR) + "/tests/chain/chain_crash_helper";
    ::execl(helper.c_str(), helper.c_str(), dir.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{pid, fds[0]};
}

// Reads what the child printed until `deadline` (or, with stop_when_ready, until its "ready"
// line); appends complete lines' acks to `acked`. True once "ready" was read.
bool read_until(int fd, Clock::time_point deadline, std::string& pending, std::map<std::uint64_t, std::string>& acked,
                bool stop_when_ready = false) {
  bool ready = false;
  for (;;) {
    if (ready && stop_when_ready) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) left = 0;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return ready;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) return ready;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      const std::string text = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (text == "ready") {
        ready = true;
        continue;
      }
      std::istringstream line(text);
      std::uint64_t height = 0;
      std::string hash;
      if (line >> height >> hash) acked[height] = hash;
    }
  }
}

TEST(CrashTest, KilledWhileCommittingReopensConsistentWithoutLosingAcknowledgedBlocks) {
  testing::TempDir dir("crash");
  testing::TestConsortium consortium;
  ASSERT_TRUE(LedgerStore::create(dir.path(), consortium.genesis()).ok());
  std::mt19937_64 rng(77);
  std::map<std::uint64_t, std::string> acked;  // every acknowledged block over all rounds
  const auto started = Clock::now();
  int rounds = 0;
  for (; rounds < 30 && Clock::now() - started < std::chrono::seconds(40); ++rounds) {
    Child child = spawn_helper(dir.path());
    std::string pending;
    // Once its ledger is open (up to 30 s: a sanitized start takes 0.7 s), let it commit for
    // between 20 and 300 ms. Regression: the window used to start at fork, so under ASan every
    // kill landed before the first commit and nothing was tested.
    const bool ready = read_until(child.out_fd, Clock::now() + std::chrono::seconds(30), pending, acked, true);
    auto run_ms = std::chrono::milliseconds(20 + rng() % 280);
    if (ready) read_until(child.out_fd, Clock::now() + run_ms, pending, acked);
    ::kill(child.pid, SIGKILL);
    read_until(child.out_fd, Clock::now() + std::chrono::milliseconds(200), pending, acked);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    ::close(child.out_fd);
    ASSERT_TRUE(WIFSIGNALED(status)) << "helper exited on its own in round " << rounds;
    ASSERT_TRUE(ready) << "the helper did not open its ledger within 30 s in round " << rounds;

    auto store = LedgerStore::open(dir.path());
    ASSERT_TRUE(store.ok()) << "round " << rounds << ": " << store.status().to_string();
    const ChainTip tip = (*store)->tip();
    if (!acked.empty()) {
      ASSERT_GE(tip.height, acked.rbegin()->first) << "acknowledged block lost in round " << rounds;
    }
    for (const auto& [height, hash] : acked) {
      auto block = (*store)->read_block(height);
      ASSERT_TRUE(block.ok()) << height;
      ASSERT_EQ(digest_hex(block_hash(block->header)), hash) << height;
    }
    testing::FakeGroupVerifier group(consortium.genesis().group_public_key);
    auto report = verify_chain(**store, consortium.certificates(), &group);
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report->first_fault.has_value())
        << "round " << rounds << ": block " << report->first_fault->height << ": " << report->first_fault->what;
  }
  EXPECT_GE(rounds, 10);
  EXPECT_GE(acked.size(), 20u) << "the helper made too little progress to test anything";
  std::printf("crash test: %d kills, %zu acknowledged blocks\n", rounds, acked.size());
}

}  // namespace
}  // namespace hc::chain
