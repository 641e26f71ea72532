#include "consensus/future_buffer.h"

#include <algorithm>

namespace hc::consensus {

FutureBuffer::FutureBuffer(std::uint32_t replica_count, std::size_t max_messages_per_peer,
                           std::size_t max_bytes_per_peer)
    : max_messages_per_peer_(max_messages_per_peer),
      max_bytes_per_peer_(max_bytes_per_peer),
      peers_(replica_count) {}

void FutureBuffer::erase(PeerBuffer& peer, std::map<Key, Entry>::iterator it) {
  peer.used.messages -= 1;
  peer.used.bytes -= it->second.wire->size();
  peer.entries.erase(it);
}

FutureBuffer::AddResult FutureBuffer::add(ReplicaId sender, ConfigNumber config, MsgType type,
                                          ViewNumber view, SeqNumber seq, SharedBytes wire,
                                          std::size_t* evicted) {
  HC_CHECK(sender < peers_.size() && wire != nullptr);
  *evicted = 0;
  PeerBuffer& peer = peers_[sender];
  const Key key{config, view, static_cast<std::uint8_t>(type), seq};
  if (peer.entries.contains(key)) return AddResult::kDuplicate;
  const std::size_t bytes = wire->size();
  if (bytes > max_bytes_per_peer_ || max_messages_per_peer_ == 0) return AddResult::kFull;
  const auto fits = [&] {
    return peer.used.messages + 1 <= max_messages_per_peer_ &&
           peer.used.bytes + bytes <= max_bytes_per_peer_;
  };
  // Make room by evicting this sender's messages for a strictly farther (configuration, view),
  // farthest first.
  std::size_t room_bytes = 0;
  std::size_t room_messages = 0;
  for (auto it = peer.entries.rbegin(); it != peer.entries.rend() && distance(it->first) > distance(key); ++it) {
    if (peer.used.messages - room_messages + 1 <= max_messages_per_peer_ &&
        peer.used.bytes - room_bytes + bytes <= max_bytes_per_peer_) {
      break;
    }
    room_messages += 1;
    room_bytes += it->second.wire->size();
  }
  if (peer.used.messages - room_messages + 1 > max_messages_per_peer_ ||
      peer.used.bytes - room_bytes + bytes > max_bytes_per_peer_) {
    return AddResult::kFull;
  }
  while (!fits()) {
    erase(peer, std::prev(peer.entries.end()));
    ++*evicted;
  }
  peer.entries.emplace(key, Entry{next_arrival_no_++, std::move(wire)});
  peer.used.messages += 1;
  peer.used.bytes += bytes;
  return AddResult::kAdded;
}

void FutureBuffer::retain(ConfigNumber config, ViewNumber view, ViewNumber max_view) {
  for (PeerBuffer& peer : peers_) {
    for (auto it = peer.entries.begin(); it != peer.entries.end();) {
      const auto [c, v] = distance(it->first);
      auto next = std::next(it);
      if (c < config || (c == config && (v < view || v > max_view))) erase(peer, it);
      it = next;
    }
  }
}

std::vector<SharedBytes> FutureBuffer::take(ConfigNumber config) {
  std::vector<std::pair<std::uint64_t, SharedBytes>> all;
  for (PeerBuffer& peer : peers_) {
    for (auto it = peer.entries.begin(); it != peer.entries.end();) {
      auto next = std::next(it);
      if (std::get<0>(it->first) == config) {
        all.emplace_back(it->second.arrival_no, it->second.wire);
        erase(peer, it);
      }
      it = next;
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<SharedBytes> out;
  out.reserve(all.size());
  for (auto& [no, wire] : all) out.push_back(std::move(wire));
  return out;
}

BufferUsage FutureBuffer::usage(ReplicaId sender) const {
  return sender < peers_.size() ? peers_[sender].used : BufferUsage{};
}

std::size_t FutureBuffer::total_messages() const {
  std::size_t n = 0;
  for (const PeerBuffer& peer : peers_) n += peer.used.messages;
  return n;
}

}  // namespace hc::consensus
