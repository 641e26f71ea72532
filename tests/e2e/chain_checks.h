// Checks shared by the end-to-end suites: every node holds the same chain, and each
// transaction id appears in it exactly once. GoogleTest assertions; for one test thread.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "e2e/local_cluster.h"

namespace hc::e2e {

// Reads blocks 1..height from every node; expects the same hash at every height on all of
// them and the same transaction ids. Returns the first node's chain (empty on failure).
inline std::vector<ChainBlock> read_identical_chains(const LocalCluster& cluster, std::uint64_t height) {
  std::vector<std::vector<ChainBlock>> chains;
  for (const ClusterNode& n : cluster.nodes()) {
    auto chain = read_chain(n.api_url, height);
    EXPECT_TRUE(chain.ok()) << n.name << ": " << chain.status().to_string();
    if (!chain.ok()) return {};
    chains.push_back(std::move(chain).value());
  }
  for (std::size_t k = 1; k < chains.size(); ++k) {
    for (std::uint64_t h = 0; h < height; ++h) {
      EXPECT_EQ(chains[k][h].height, h + 1);
      EXPECT_EQ(chains[k][h].hash, chains[0][h].hash)
          << cluster.nodes()[k].name << " differs from " << cluster.nodes()[0].name << " at height " << h + 1;
      EXPECT_EQ(chains[k][h].tx_ids, chains[0][h].tx_ids) << "height " << h + 1;
    }
  }
  return chains[0];
}

// How many times each transaction id occurs in the chain.
inline std::map<std::string, int> tx_counts(const std::vector<ChainBlock>& chain) {
  std::map<std::string, int> counts;
  for (const ChainBlock& b : chain) {
    for (const std::string& id : b.tx_ids) ++counts[id];
  }
  return counts;
}

// Expects every transaction of the chain once, and every id of `expected` among them.
inline void expect_each_once(const std::vector<ChainBlock>& chain, const std::vector<std::string>& expected) {
  std::map<std::string, int> counts = tx_counts(chain);
  for (const auto& [id, n] : counts) EXPECT_EQ(n, 1) << "transaction " << id << " committed " << n << " times";
  for (const std::string& id : expected) EXPECT_EQ(counts.count(id), 1u) << "transaction " << id << " missing";
  // A record re-submitted would carry a new group signature (a new id) but the same nonce.
  std::map<std::string, int> nonces;
  for (const ChainBlock& b : chain) {
    for (const auto& tx : b.txs) {
      if (tx.value("kind", std::string()) == "record") ++nonces[tx.value("nonce", std::string())];
    }
  }
  for (const auto& [nonce, n] : nonces) EXPECT_EQ(n, 1) << "sealed record with nonce " << nonce << " committed " << n << " times";
}

}  // namespace hc::e2e
