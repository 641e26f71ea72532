// Test helpers that play a peer holding a real replica's key: build a signed envelope from a
// message body and hand raw wire bytes to one replica of a TestCluster. Not thread-safe.
#pragma once

#include "test_cluster.h"

namespace hc::consensus::testing {

// Signed in configuration `config` (0: the genesis one).
inline Bytes signed_wire(TestCluster& c, ReplicaId sender, MessageBody body, ConfigNumber config = 0) {
  Message m{sender, std::move(body), Signature{}, config};
  m.sig = c.signer(sender).sign(signing_input(c.config().chain_id, m.config, m.type(), sender, statement_of(m.body)));
  return encode_message(m);
}

inline void deliver(TestCluster& c, ReplicaId to, const Bytes& wire) {
  c.handle(to, MessageReceived{std::make_shared<const Bytes>(wire)});
}

// A block of `tx_count` valid transactions of `tx_bytes` bytes each, proposed at `height` in
// `view` by that view's primary.
inline Block big_block(SeqNumber height, ViewNumber view, std::uint32_t n, std::size_t tx_count,
                       std::size_t tx_bytes, std::uint64_t first_tx = 0) {
  Block b;
  b.height = height;
  b.view = view;
  b.proposer = static_cast<ReplicaId>(view % n);
  for (std::size_t i = 0; i < tx_count; ++i) b.txs.push_back(make_tx_of_size(first_tx + i, tx_bytes));
  return b;
}

}  // namespace hc::consensus::testing
