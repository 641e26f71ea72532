// The origin estimators on hand-made traces: a broadcast-at-once network is fully exposed to
// first arrival; a stem along a cycle is named by the stem predecessor only when the record
// came from there, and the cycle-aware estimator uses the fluffer's predecessor; trace lines
// are parsed strictly.
#include "privacy/origin_estimators.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace hc::privacy {
namespace {

std::string tx_hex(int i) {
  std::string s = std::to_string(i);
  return std::string(64 - s.size(), '0') + s;
}

Observation seen(std::int64_t t, FrameKind kind, std::uint32_t observer, std::uint32_t sender, int tx) {
  return Observation{t, kind, observer, sender, 100, tx_hex(tx)};
}

// Cycle 0 -> 1 -> 2 -> 3 -> 0.
std::uint32_t ring_predecessor(std::uint32_t node, std::int64_t) { return (node + 3) % 4; }

TEST(OriginEstimatorsTest, BroadcastAtOnceIsFullyExposedToFirstArrival) {
  std::map<std::string, std::uint32_t> origins;
  std::vector<Observation> all;
  for (int tx = 0; tx < 40; ++tx) {
    const std::uint32_t origin = static_cast<std::uint32_t>(tx % 4);
    origins[tx_hex(tx)] = origin;
    for (std::uint32_t peer = 0; peer < 4; ++peer) {
      if (peer != origin) all.push_back(seen(1000 * tx + peer, FrameKind::kFluff, peer, origin, tx));
    }
  }
  for (std::uint32_t a = 0; a < 4; ++a) {
    auto scores = score_insiders(origins, all, {a}, 4, ring_predecessor);
    ASSERT_EQ(scores.size(), 3u);
    EXPECT_EQ(scores[0].estimator, "first_arrival");
    EXPECT_EQ(scores[0].records, 30u);  // its own 10 records excluded
    EXPECT_EQ(scores[0].correct, 30u);
    EXPECT_DOUBLE_EQ(scores[0].ratio(), 3.0);
  }
  EXPECT_DOUBLE_EQ(score_network_observer(origins, all, 4).precision(), 1.0);
}

TEST(OriginEstimatorsTest, StemPredecessorAndCycleAwareGuesses) {
  // Observer 2. Record 1 from node 1 reaches 2 by stem from 1: named. Record 2 from node 0
  // goes 0 -> 1 -> 2 by stem: the stem predecessor (1) is wrong. Record 3 from node 3 is
  // fluffed by 0, which stemmed nothing to 2: first arrival says 0, cycle-aware says 3.
  std::map<std::string, std::uint32_t> origins = {{tx_hex(1), 1}, {tx_hex(2), 0}, {tx_hex(3), 3}};
  std::vector<Observation> all = {
      seen(10, FrameKind::kStem, 2, 1, 1), seen(20, FrameKind::kFluff, 2, 3, 1),
      seen(30, FrameKind::kStem, 1, 0, 2), seen(40, FrameKind::kStem, 2, 1, 2),
      seen(50, FrameKind::kStem, 0, 3, 3), seen(60, FrameKind::kFluff, 2, 0, 3),
      seen(70, FrameKind::kCommit, 2, 0, 3),
  };
  auto scores = score_insiders(origins, all, {2}, 4, ring_predecessor);
  EXPECT_EQ(scores[0].correct, 1u);  // first_arrival: record 1 only
  EXPECT_EQ(scores[1].correct, 1u);  // stem_predecessor: record 1 only
  EXPECT_EQ(scores[2].correct, 2u);  // cycle_aware: records 1 and 3
  // Colluders 1 and 2 see 0 -> 1 for record 2; frames between them are not evidence.
  auto pair = score_insiders(origins, all, {1, 2}, 4, ring_predecessor);
  EXPECT_EQ(pair[1].records, 2u);
  EXPECT_EQ(pair[1].correct, 1u);  // record 2 named by 1's stem from 0
  EXPECT_DOUBLE_EQ(pair[1].uniform, 0.5);
  // The network observer links every frame: the earliest frame's sender is the origin.
  EXPECT_EQ(score_network_observer(origins, all, 4).correct, 3u);
}

TEST(OriginEstimatorsTest, ReadsTraceLinesStrictly) {
  test::TempDir dir;
  const auto path = dir.path() / "trace.txt";
  std::ofstream(path) << "1700000000000000 stem 3 612 " << tx_hex(5) << "\n"
                      << "1700000000000100 commit - 0 " << tx_hex(5) << "\n";
  auto parsed = read_peer_trace(path, 6);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].kind, FrameKind::kStem);
  EXPECT_EQ((*parsed)[0].sender, 3u);
  EXPECT_EQ((*parsed)[0].observer, 6u);
  EXPECT_EQ((*parsed)[0].frame_bytes, 612u);
  EXPECT_EQ((*parsed)[1].kind, FrameKind::kCommit);
  std::ofstream(path) << "1700000000000000 gossip 3 612 " << tx_hex(5) << "\n";
  EXPECT_FALSE(read_peer_trace(path, 6).ok());
  std::ofstream(path) << "1700000000000000 stem 3 612 abc\n";
  EXPECT_FALSE(read_peer_trace(path, 6).ok());
}

}  // namespace
}  // namespace hc::privacy
