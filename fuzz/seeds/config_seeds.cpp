// Seeds of the node_config harness: a four-replica node configuration with tokens and limits,
// printed by node_config_to_json, and the short form of examples/node.json.
#include "crypto/ed25519.h"
#include "node/config.h"
#include "seeds.h"

namespace hc::seeds {

void write_config_seeds(const SeedWriter& out) {
  node::NodeConfig config;
  config.node_id = 1;
  config.name = "city-general";
  config.data_dir = "/hc-fuzz/node/data";
  config.replica_key_file = "/hc-fuzz/node/replica.key.pem";
  config.member_key_file = "/hc-fuzz/node/member.key";
  config.genesis_file = "/hc-fuzz/genesis.json";
  config.listen_port = 7001;
  config.api_port = 8001;
  for (std::uint32_t id = 0; id < 4; ++id) {
    const Bytes raw(32, static_cast<std::uint8_t>(0x10 + id));
    auto key = crypto::Ed25519PrivateKey::from_seed(SecureBytes(raw.data(), raw.size()));
    require(key.ok(), "cannot make a replica key");
    config.peers.push_back(node::PeerConfig{id, "127.0.0.1", static_cast<std::uint16_t>(7000 + id),
                                            key.value().public_key()});
  }
  node::DoctorToken doctor{"dr-house", {}};
  doctor.sha256.fill(0xd0);
  config.doctor_tokens.push_back(doctor);
  node::DoctorToken reader{"group-manager", {}};
  reader.sha256.fill(0xe0);
  config.reader_tokens.push_back(reader);
  const std::string text = node::node_config_to_json(config);
  require(node::parse_node_config(text, "/hc-fuzz/node").ok(), "seed node config does not parse");
  out.write("node_config", "four_peers", text);
}

}  // namespace hc::seeds
