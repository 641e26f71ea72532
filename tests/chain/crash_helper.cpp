// chain_crash_helper DIR: opens (or creates) the ledger at DIR, prints "ready" once it is open,
// then commits deterministic blocks in an endless loop, printing "<height> <block hash hex>"
// on stdout after each commit returns. The crash test kills it with SIGKILL at random moments
// after "ready" (so the kills land among commits, however slow the start: 0.7 s under ASan):
// every printed block was acknowledged as committed and must survive.
#include <cstdio>

#include "chain/ledger_store.h"
#include "chain/test_chain.h"

int main(int argc, char** argv) {
  using namespace hc::chain;
  if (argc != 2) {
    std::fprintf(stderr, "usage: chain_crash_helper DIR\n");
    return 2;
  }
  testing::TestConsortium consortium;
  auto opened = LedgerStore::open(argv[1]);
  if (!opened.ok()) {  // absent, or its creation was interrupted
    opened = LedgerStore::create(argv[1], consortium.genesis());
  }
  if (!opened.ok()) {
    std::fprintf(stderr, "crash helper: %s\n", opened.status().to_string().c_str());
    return 3;
  }
  LedgerStore& store = **opened;
  std::printf("ready\n");
  std::fflush(stdout);
  for (int i = 0; i < 1000000; ++i) {
    Block block = testing::deterministic_block(consortium, store.tip(), 20);
    auto committed = store.commit_block(block, StateChanges{});
    if (!committed.ok()) {
      std::fprintf(stderr, "crash helper: %s\n", committed.status().to_string().c_str());
      return 3;
    }
    std::printf("%llu %s\n", static_cast<unsigned long long>(block.header.height),
                digest_hex(block_hash(block.header)).c_str());
    std::fflush(stdout);
  }
  return 0;
}
