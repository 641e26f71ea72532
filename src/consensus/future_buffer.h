// FutureBuffer: verified PRE-PREPARE / PREPARE / COMMIT messages for a view this replica has
// not entered yet (issue 12, item 1), or of the configuration after its own (docs/consensus.md
// section 2c: votes that arrive before the replica crosses the boundary), kept to be replayed
// once it has entered that view or configuration.
//
// Everything here was sent by a peer, so everything is bounded per peer: each sender has its
// own count and byte budget (bytes = the wire size kept), shared by both kinds, a sender's
// message for one (configuration, view, type, seq) is kept once (a replay, or a second variant,
// costs nothing more), and when a sender's budget is full a message for a nearer
// (configuration, view) evicts that sender's messages for the farthest first. Views far beyond
// the current one are refused by the caller (the future-view window, config.h). The wire bytes
// are kept, not the decoded message, so the budget is exact; replay decodes them again (the
// signature was checked on arrival). Not thread-safe (owned by one Replica).
#pragma once

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "consensus/configuration.h"
#include "consensus/events.h"
#include "consensus/messages.h"

namespace hc::consensus {

// What one peer currently makes this replica hold (messages and their wire bytes).
struct BufferUsage {
  std::size_t messages = 0;
  std::size_t bytes = 0;
};

class FutureBuffer {
 public:
  enum class AddResult : std::uint8_t { kAdded, kDuplicate, kFull };

  FutureBuffer(std::uint32_t replica_count, std::size_t max_messages_per_peer,
               std::size_t max_bytes_per_peer);

  // Keeps wire (a verified message of `type` for (view, seq) of configuration `config` from
  // sender). *evicted counts messages of that sender dropped to make room.
  AddResult add(ReplicaId sender, ConfigNumber config, MsgType type, ViewNumber view, SeqNumber seq,
                SharedBytes wire, std::size_t* evicted);
  // Drops every message of a configuration below `config`, and those of `config` for a view
  // below `view` or above `max_view`. Messages of later configurations stay.
  void retain(ConfigNumber config, ViewNumber view, ViewNumber max_view);
  // Removes and returns every buffered message of configuration `config`, in arrival order.
  std::vector<SharedBytes> take(ConfigNumber config);

  BufferUsage usage(ReplicaId sender) const;
  std::size_t total_messages() const;

 private:
  using Key = std::tuple<ConfigNumber, ViewNumber, std::uint8_t, SeqNumber>;
  // How far ahead a message is: its (configuration, view), compared lexicographically.
  static std::pair<ConfigNumber, ViewNumber> distance(const Key& key) {
    return {std::get<0>(key), std::get<1>(key)};
  }
  struct Entry {
    std::uint64_t arrival_no = 0;
    SharedBytes wire;
  };
  struct PeerBuffer {
    std::map<Key, Entry> entries;  // by (configuration, view) first: the farthest at the end
    BufferUsage used;
  };
  void erase(PeerBuffer& peer, std::map<Key, Entry>::iterator it);

  const std::size_t max_messages_per_peer_;
  const std::size_t max_bytes_per_peer_;
  std::vector<PeerBuffer> peers_;
  std::uint64_t next_arrival_no_ = 0;
};

}  // namespace hc::consensus
