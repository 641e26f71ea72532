// The public setting of one proactive resharing (docs/threshold.md, "Resharing"): the key as
// the old trustees hold it (its chain, key epoch, t_old, the key itself and the old public
// shares), the new trustee set (t_new and their long-term P-256 keys, to which shares are
// boxed) and the resharing epoch (1 for a key's first resharing, one more each time). Each old
// trustee deals a Feldman sharing of its own share to the new set; the key does not change.
//
// The code is written once for both keys the trustees share, over a `Group` (access_reshare.h:
// the P-256 access key; opener_reshare.h: the BLS12-381 opener key), which names the scalar
// and point types, the public key type, the domain tags and the point encoding.
//
// Every message of a resharing is bound to reshare_digest:
//   SHA-256(LP(Group::kParamsTag) || chain_id || u64 key epoch || u64 reshare epoch ||
//           base || key || u16 t_old || u16 m_old || Y_1..Y_m_old ||
//           u16 t_new || u16 m_new || new trustee key 1..m_new (65 bytes each))
// (points in Group's encoding), so a deal or complaint of one chain, key, resharing or
// trustee set means nothing in another, and none is a DKG message (other tags).
// Bounds: 1 <= t <= m <= 64 on both sides. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/hash.h"
#include "crypto/threshold/dkg_params.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

template <typename Group>
struct ReshareParams {
  typename Group::PublicKey old_key;  // chain id, key epoch, t_old, the key, old public shares
  DkgParams new_trustees;             // the same chain id and key epoch; t_new, the new keys
  std::uint64_t reshare_epoch = 0;    // 1, 2, ... for the key's successive resharings

  std::uint16_t old_trustees() const { return static_cast<std::uint16_t>(old_key.public_shares.size()); }
  std::uint16_t new_trustees_count() const { return new_trustees.trustees(); }
};

// ok when both sides are 1 <= t <= m <= 64, the new keys are distinct, the two sides name
// the same chain and key epoch, the resharing epoch is at least 1 and no public point of the
// old key is the identity; kInvalidInput naming what is wrong otherwise.
template <typename Group>
Status check_reshare_params(const ReshareParams<Group>& params) {
  HC_RETURN_IF_ERROR(check_dkg_params(params.new_trustees).with_context("new trustees"));
  const auto& old_key = params.old_key;
  const std::size_t m_old = old_key.public_shares.size();
  if (m_old == 0 || m_old > kMaxTrustees) {
    return invalid_input("a resharing needs 1 to 64 old trustees, not " + std::to_string(m_old));
  }
  if (old_key.threshold == 0 || old_key.threshold > m_old) {
    return invalid_input("old threshold " + std::to_string(old_key.threshold) + " is not between 1 and " +
                         std::to_string(m_old));
  }
  if (old_key.chain_id != params.new_trustees.chain_id) return invalid_input("a resharing cannot change the chain");
  if (old_key.epoch != params.new_trustees.epoch) {
    return invalid_input("a resharing keeps the key epoch (" + std::to_string(old_key.epoch) + "), not " +
                         std::to_string(params.new_trustees.epoch));
  }
  if (params.reshare_epoch == 0) return invalid_input("resharing epochs start at 1");
  if (Group::is_identity(Group::key_point(old_key))) return invalid_input("the key to reshare is the identity");
  for (std::size_t i = 0; i < m_old; ++i) {
    if (Group::is_identity(old_key.public_shares[i])) {
      return invalid_input("old trustee " + std::to_string(i + 1) + "'s public share is the identity");
    }
  }
  return Status::ok_status();
}

template <typename Group>
Digest32 reshare_digest(const ReshareParams<Group>& params) {
  const auto& old_key = params.old_key;
  Bytes msg;
  append_tag(msg, Group::kParamsTag);
  append_bytes(msg, old_key.chain_id);
  append_u64_be(msg, old_key.epoch);
  append_u64_be(msg, params.reshare_epoch);
  Group::append_points(msg, {Group::base(old_key), Group::key_point(old_key)});
  append_u16_be(msg, old_key.threshold);
  append_u16_be(msg, params.old_trustees());
  Group::append_points(msg, old_key.public_shares);
  append_u16_be(msg, params.new_trustees.threshold);
  append_u16_be(msg, params.new_trustees.trustees());
  for (const P256Point& key : params.new_trustees.trustee_keys) append_point(msg, key);
  return sha256(msg);
}

// kInvalidInput unless 1 <= index <= m_old.
template <typename Group>
Status check_old_trustee_index(const ReshareParams<Group>& params, std::uint16_t index, std::string_view role) {
  if (index == 0 || index > params.old_trustees()) {
    return invalid_input(std::string(role) + " index " + std::to_string(index) + " is not between 1 and " +
                         std::to_string(params.old_trustees()));
  }
  return Status::ok_status();
}

}  // namespace hc::crypto::threshold
