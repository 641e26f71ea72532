#include "node/trustee_identity.h"

#include <string>

#include "chain/reshare_state.h"
#include "chain/trustee_state.h"
#include "crypto/p256_key_file.h"
#include "node/trustee_key_files.h"

namespace hc::node {

std::optional<std::uint16_t> trustee_index_of(const chain::Genesis& genesis, std::uint32_t node_id) {
  if (genesis.access_mode != chain::AccessMode::kTrustees) return std::nullopt;
  for (std::size_t i = 0; i < genesis.replicas.size(); ++i) {
    if (genesis.replicas[i].id != node_id) continue;
    if (i >= genesis.trustee_keys.size()) return std::nullopt;
    return static_cast<std::uint16_t>(i + 1);
  }
  return std::nullopt;
}

Result<std::optional<TrusteeIdentity>> load_trustee_identity(const NodeConfig& config, const chain::Genesis& genesis,
                                                             const SecureBytes& passphrase) {
  if (genesis.access_mode != chain::AccessMode::kTrustees) return std::optional<TrusteeIdentity>();
  const std::optional<std::uint16_t> index = trustee_index_of(genesis, config.node_id);
  if (!index) {
    if (config.trustee_key_file.empty()) return std::optional<TrusteeIdentity>();
    return invalid_input("the config names a trustee_key_file but the genesis lists no trustee for node " +
                         std::to_string(config.node_id));
  }
  if (config.trustee_key_file.empty()) {
    return invalid_input("the genesis lists node " + std::to_string(config.node_id) + " as trustee " +
                         std::to_string(*index) + " but the config names no trustee_key_file");
  }
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar secret, crypto::load_p256_key(config.trustee_key_file, passphrase));
  const crypto::P256PointBytes public_key = crypto::P256Point::base_mul(secret).encode();
  if (public_key != genesis.trustee_keys[*index - 1]) {
    return invalid_input("the trustee key file " + config.trustee_key_file.string() + " does not hold trustee " +
                         std::to_string(*index) + "'s key from the genesis (node " + std::to_string(config.node_id) +
                         ")");
  }
  TrusteeIdentity identity;
  identity.index = *index;
  identity.secret = std::move(secret);
  identity.public_key = public_key;
  return std::optional<TrusteeIdentity>(std::move(identity));
}

namespace {

// The genesis seat after a resharing: loaded when its key file is still there (the erasure may
// be pending), index 0 when it is gone.
Result<TrusteeIdentity> genesis_seat_if_held(const NodeConfig& config, const chain::Genesis& genesis,
                                             const SecureBytes& passphrase) {
  std::error_code ec;
  if (config.trustee_key_file.empty() || !std::filesystem::exists(config.trustee_key_file, ec)) return TrusteeIdentity{};
  HC_ASSIGN_OR_RETURN(std::optional<TrusteeIdentity> identity, load_trustee_identity(config, genesis, passphrase));
  return identity ? std::move(*identity) : TrusteeIdentity{};
}

}  // namespace

Result<std::optional<TrusteeStart>> load_trustee_start(const NodeConfig& config, const chain::LedgerStore& store,
                                                       const SecureBytes& passphrase) {
  const chain::Genesis& genesis = store.genesis();
  if (genesis.access_mode != chain::AccessMode::kTrustees) return std::optional<TrusteeStart>();
  const chain::StoreTrusteeView view(store);
  HC_ASSIGN_OR_RETURN(auto epoch, chain::read_key_epoch(view));
  std::optional<chain::TrusteeSharing> latest;
  if (epoch) {
    HC_ASSIGN_OR_RETURN(latest, chain::read_latest_sharing(view, epoch->key_epoch));
  }
  TrusteeStart start;
  start.first_key_file = !config.trustee_key_file.empty() ? config.trustee_key_file : config.enrollment_key_file;
  start.first_key_holds_share = !config.trustee_key_file.empty();
  if (!latest || latest->reshare_epoch == 0) {  // the DKG's sharing: the genesis decides, as before
    HC_ASSIGN_OR_RETURN(std::optional<TrusteeIdentity> identity, load_trustee_identity(config, genesis, passphrase));
    if (identity) {
      start.sharing_seat = identity->index;
      start.genesis_seat = std::move(*identity);
    }
    if (start.first_key_file.empty()) return std::optional<TrusteeStart>();
    return std::optional<TrusteeStart>(std::move(start));
  }
  start.sharing_reshare_epoch = latest->reshare_epoch;
  std::uint16_t seat = 0;
  for (std::size_t j = 0; j < latest->trustees.size(); ++j) {
    if (latest->trustees[j].member == config.node_id) seat = static_cast<std::uint16_t>(j + 1);
  }
  const std::string where = "the sharing in force (resharing epoch " + std::to_string(latest->reshare_epoch) +
                            ", key epoch " + std::to_string(latest->key_epoch) + ") seats node " +
                            std::to_string(config.node_id) + " as trustee " + std::to_string(seat);
  if (start.first_key_file.empty()) {
    if (seat != 0) return invalid_input(where + " but the config names no trustee_key_file");
    return std::optional<TrusteeStart>();
  }
  if (seat != 0) {
    const TrusteeKeyFiles files(start.first_key_file, SecureBytes(passphrase.view()));
    const std::filesystem::path file = files.path_for(latest->reshare_epoch);
    HC_ASSIGN_OR_RETURN(std::optional<crypto::P256Scalar> key, files.load(latest->reshare_epoch));
    if (!key) {
      return invalid_input(where + ": its key file " + file.string() +
                           " is missing (the node wrote it when it announced that key; it cannot be made again)");
    }
    if (crypto::P256Point::base_mul(*key).encode() != latest->trustees[seat - 1].key) {
      return invalid_input(where + ": the key file " + file.string() + " does not hold the key announced for it");
    }
    start.sharing_seat = seat;
  }
  HC_ASSIGN_OR_RETURN(start.genesis_seat, genesis_seat_if_held(config, genesis, passphrase));
  return std::optional<TrusteeStart>(std::move(start));
}

}  // namespace hc::node
