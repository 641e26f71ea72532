#include "cli/hospital_setup.h"

#include <nlohmann/json.hpp>

#include <optional>

#include <set>
#include <system_error>

#include "cli/consortium_keys.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/store.h"
#include "crypto/p256_key_file.h"
#include "node/config.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

constexpr std::size_t kTransferCodeBytes = 16;  // 128 bits, written as 32 hex digits

Status setup_io_error(const std::string& message) { return Status::error(ErrorCode::kIo, message); }

// `dir` absent or an empty directory, then created.
Status create_fresh_dir(const fs::path& dir, const char* option) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return Status::error(ErrorCode::kAlreadyExists,
                         std::string(option) + " " + dir.string() + " exists and is not an empty directory");
  }
  fs::create_directories(dir, ec);
  if (ec) return setup_io_error("cannot create " + dir.string() + ": " + ec.message());
  return Status::ok_status();
}

// DIR/hospital.json: the hospital's own settings for `hc node join` (no secret).
std::string hospital_settings_json(const HospitalInitOptions& o, const crypto::Digest32& doctor_token_sha256,
                                  const crypto::Digest32& admin_token_sha256) {
  json doc = {{"chain_id", o.chain_id},       {"name", o.name},         {"bind_host", o.bind_host},
              {"peer_port", o.peer_port},     {"api_port", o.api_port},
              {"doctor_token_sha256", to_hex(doctor_token_sha256)},
              {"admin_token_sha256", to_hex(admin_token_sha256)}};
  return doc.dump(2) + "\n";
}

struct HospitalSettings {
  std::string bind_host;
  std::uint16_t peer_port = 0;
  std::uint16_t api_port = 0;
  std::array<std::uint8_t, 32> doctor_token_sha256{};
  std::optional<std::array<std::uint8_t, 32>> admin_token_sha256;  // absent in directories of older versions
};

Result<HospitalSettings> load_hospital_settings(const fs::path& dir) {
  const fs::path file = dir / "hospital.json";
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(file, kMaxHospitalFileBytes));
  auto doc = crypto::parse_bounded_json(text, file.string());
  if (!doc.ok()) return doc.status();
  HospitalSettings s;
  auto port = [&](const char* field) -> Result<std::uint16_t> {
    if (!doc->contains(field) || !(*doc)[field].is_number_unsigned() || (*doc)[field].get<std::uint64_t>() == 0 ||
        (*doc)[field].get<std::uint64_t>() > 65535) {
      return invalid_input(file.string() + ": bad " + field);
    }
    return static_cast<std::uint16_t>((*doc)[field].get<std::uint64_t>());
  };
  HC_ASSIGN_OR_RETURN(s.peer_port, port("peer_port"));
  HC_ASSIGN_OR_RETURN(s.api_port, port("api_port"));
  if (!doc->contains("bind_host") || !(*doc)["bind_host"].is_string() || !doc->contains("doctor_token_sha256") ||
      !(*doc)["doctor_token_sha256"].is_string()) {
    return invalid_input(file.string() + ": missing bind_host or doctor_token_sha256");
  }
  s.bind_host = (*doc)["bind_host"].get<std::string>();
  auto hash = from_hex((*doc)["doctor_token_sha256"].get<std::string>());
  if (!hash.ok() || hash->size() != 32) return invalid_input(file.string() + ": bad doctor_token_sha256");
  std::copy(hash->begin(), hash->end(), s.doctor_token_sha256.begin());
  if (doc->contains("admin_token_sha256")) {
    auto admin = (*doc)["admin_token_sha256"].is_string() ? from_hex((*doc)["admin_token_sha256"].get<std::string>())
                                                          : Result<Bytes>(invalid_input("not a string"));
    if (!admin.ok() || admin->size() != 32) return invalid_input(file.string() + ": bad admin_token_sha256");
    s.admin_token_sha256.emplace();
    std::copy(admin->begin(), admin->end(), s.admin_token_sha256->begin());
  }
  return s;
}

// Every public part, checked one by one and against each other.
Result<std::vector<HospitalPublicPart>> load_consortium_parts(const AssembleOptions& o) {
  if (o.hospitals.size() < kMinConsortiumHospitals || o.hospitals.size() > kMaxConsortiumHospitals) {
    return invalid_input("a consortium needs 4..64 hospitals (--hospital given " + std::to_string(o.hospitals.size()) +
                         " times; PBFT needs n >= 4 to tolerate one fault)");
  }
  std::vector<HospitalPublicPart> parts;
  std::set<std::string> names, keys, cas, peers, apis;
  for (const fs::path& file : o.hospitals) {
    HC_ASSIGN_OR_RETURN(HospitalPublicPart p, load_hospital_public_part(file));
    if (p.chain_id != o.chain_id) {
      return invalid_input(file.string() + ": the hospital means to join chain \"" + p.chain_id + "\", not \"" +
                           o.chain_id + "\"");
    }
    const std::string peer = p.peer_host + ":" + std::to_string(p.peer_port);
    const char* duplicate = !names.insert(p.name).second                    ? "name"
                            : !keys.insert(p.replica_key.to_hex()).second   ? "replica key"
                            : !cas.insert(p.tls_ca_pem).second              ? "TLS CA certificate"
                            : !peers.insert(peer).second                    ? "peer address"
                            : !apis.insert(p.api_url).second                ? "API URL"
                                                                            : nullptr;
    if (duplicate != nullptr) {
      return invalid_input(file.string() + ": duplicate hospital (its " + duplicate + " is another part's)");
    }
    parts.push_back(std::move(p));
  }
  return parts;
}

Status write_bundle(const fs::path& bundle, const JoinInstructions& join, const chain::Genesis& genesis) {
  HC_RETURN_IF_ERROR(write_text_file_atomic(bundle / "join.json", join_instructions_to_json(join)));
  return write_genesis_file(bundle / "genesis.json", genesis);
}

// The bundle's genesis must be the chain this hospital asked for, hash to what join.json says
// and hold this hospital's own replica key and TLS CA at its node id.
Status check_bundle_is_ours(const JoinInstructions& join, const chain::Genesis& genesis,
                            const HospitalPublicPart& own) {
  if (join.chain_id != own.chain_id || genesis.chain_name != own.chain_id) {
    return invalid_input("the bundle is for chain \"" + genesis.chain_name + "\", but this hospital joins \"" +
                         own.chain_id + "\"");
  }
  if (chain::genesis_hash(genesis) != join.genesis_hash) {
    return invalid_input("the bundle's genesis.json does not hash to the genesis_hash of its join.json");
  }
  if (join.name != own.name || join.node_id >= genesis.replicas.size() || join.peers.size() != genesis.replicas.size()) {
    return invalid_input("the bundle is for hospital \"" + join.name + "\", not \"" + own.name + "\"");
  }
  const chain::ReplicaInfo& replica = genesis.replicas[join.node_id];
  if (replica.public_key != own.replica_key.bytes() || replica.tls_ca_pem != own.tls_ca_pem) {
    return invalid_input("the genesis does not hold this hospital's replica key and TLS CA at node id " +
                         std::to_string(join.node_id));
  }
  return Status::ok_status();
}

Status write_joined_config(const fs::path& dir, const JoinInstructions& join, const chain::Genesis& genesis,
                           const HospitalSettings& settings) {
  node::NodeConfig config = hospital_node_config(join.node_id, join.name, "genesis.json", true,
                                                 settings.doctor_token_sha256, join.reader_token_sha256);
  if (settings.admin_token_sha256) {
    config.admin_tokens.push_back(node::DoctorToken{"admin@" + join.name, *settings.admin_token_sha256});
  }
  config.listen_host = settings.bind_host;
  config.listen_port = settings.peer_port;
  config.api_host = settings.bind_host;
  config.api_port = settings.api_port;
  for (const JoinPeer& peer : join.peers) {
    HC_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey key, crypto::Ed25519PublicKey::from_bytes(genesis.replicas[peer.id].public_key));
    config.peers.push_back(node::PeerConfig{peer.id, peer.host, peer.port, key});
  }
  if (genesis.access_mode == chain::AccessMode::kTrustees) config.trustee_key_file = "trustee.key.pem";
  // Until its member key file exists, the node waits for its enrollment on the chain (boxed to
  // this key, which the join request names with --enrollment-key-file).
  config.enrollment_key_file = "trustee.key.pem";
  HC_RETURN_IF_ERROR(write_genesis_file(dir / "genesis.json", genesis));
  return write_text_file_atomic(dir / "node.json", node::node_config_to_json(config));
}

}  // namespace

Result<HospitalPublicPart> init_hospital(const HospitalInitOptions& o, const SecureBytes& passphrase) {
  HospitalPublicPart part;
  part.chain_id = o.chain_id;
  part.name = o.name;
  part.peer_host = o.host;
  part.peer_port = o.peer_port;
  part.api_url = "https://" + o.host + ":" + std::to_string(o.api_port);
  if (o.peer_port == 0 || o.api_port == 0 || o.peer_port == o.api_port) {
    return invalid_input("--peer-port and --api-port must be two different ports in 1..65535");
  }
  // The same checks the coordinator will make, before anything is written.
  for (const std::string* id : {&o.name, &o.chain_id}) {
    Status ok = groupsig::check_member_name(*id);
    if (!ok.ok()) return invalid_input((id == &o.name ? "--name: " : "--chain-id: ") + ok.message());
  }
  std::string ignored_host;
  std::uint16_t ignored_port = 0;
  HC_RETURN_IF_ERROR(parse_host_port(o.host + ":" + std::to_string(o.peer_port), ignored_host, ignored_port));
  HC_RETURN_IF_ERROR(create_fresh_dir(o.dir, "--dir"));
  HC_ASSIGN_OR_RETURN(part.replica_key, write_new_ed25519_key(o.dir / "replica.key.pem", passphrase));
  HC_ASSIGN_OR_RETURN(crypto::Digest32 doctor_token, write_new_token(o.dir / "doctor.token"));
  HC_ASSIGN_OR_RETURN(crypto::Digest32 admin_token, write_new_token(o.dir / "admin.token"));
  HC_ASSIGN_OR_RETURN(part.tls_ca_pem, write_tls_material(o.dir, o.name, {o.host}, passphrase));
  HC_ASSIGN_OR_RETURN(crypto::P256Point trustee, crypto::write_new_p256_key(o.dir / "trustee.key.pem", passphrase));
  part.trustee_key = trustee.encode();
  std::string text = hospital_public_part_to_json(part);
  HC_RETURN_IF_ERROR(parse_hospital_public_part(text).status());  // what the coordinator will accept
  HC_RETURN_IF_ERROR(write_text_file_atomic(o.dir / "hospital.json", hospital_settings_json(o, doctor_token, admin_token)));
  HC_RETURN_IF_ERROR(write_text_file_atomic(o.dir / "public.json", text));
  return part;
}

Result<chain::Genesis> assemble_genesis(const AssembleOptions& o, const SecureBytes& manager_passphrase) {
  HC_ASSIGN_OR_RETURN(std::vector<HospitalPublicPart> parts, load_consortium_parts(o));
  if (o.access_mode == chain::AccessMode::kTrustees) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (!parts[i].trustee_key) {
        return invalid_input(o.hospitals[i].string() + ": no trustee_key (made before trustees mode: run hc node init "
                             "again) and --access-mode is trustees");
      }
    }
  }
  HC_RETURN_IF_ERROR(create_fresh_dir(o.manager_dir, "--manager-dir"));
  HC_RETURN_IF_ERROR(create_fresh_dir(o.out_dir, "--out"));
  std::vector<SecureBytes> codes;
  std::vector<MemberKeyDestination> members;
  codes.reserve(parts.size());
  for (const HospitalPublicPart& p : parts) {
    const fs::path bundle = o.out_dir / p.name;
    HC_RETURN_IF_ERROR(create_fresh_dir(bundle, "bundle"));
    SecureBytes raw(kTransferCodeBytes);
    crypto::random_bytes(std::span<std::uint8_t>(raw.data(), raw.size()));
    std::string hex = to_hex(raw.span());
    codes.emplace_back(std::string_view(hex));
    secure_wipe(hex.data(), hex.size());
    HC_RETURN_IF_ERROR(write_file_atomic(bundle / "transfer.code", codes.back().span(), 0600));
    members.push_back({p.name, bundle / "member.key", &codes.back()});
  }
  HC_ASSIGN_OR_RETURN(ManagerMaterial manager,
                      create_manager_directory(o.manager_dir, members, manager_passphrase, o.key_scrypt, o.access_mode));
  std::vector<chain::ReplicaInfo> replicas;
  JoinInstructions join;
  join.chain_id = o.chain_id;
  join.reader_token_sha256 = manager.reader_token_sha256;
  for (std::uint32_t id = 0; id < parts.size(); ++id) {
    replicas.push_back(chain::ReplicaInfo{id, parts[id].replica_key.bytes(), parts[id].tls_ca_pem});
    join.peers.push_back(JoinPeer{id, parts[id].peer_host, parts[id].peer_port});
  }
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, make_genesis(o.chain_id, std::move(replicas), manager, o.manager_dir));
  if (o.access_mode == chain::AccessMode::kTrustees) {
    genesis.access_mode = chain::AccessMode::kTrustees;
    genesis.proven_dkg_deals = true;  // version 6: DKG deals must prove their boxes' ephemerals
    for (const HospitalPublicPart& p : parts) genesis.trustee_keys.push_back(*p.trustee_key);
    genesis.trustee_threshold = chain::default_trustee_threshold(parts.size());
    HC_RETURN_IF_ERROR(chain::check_genesis(genesis));
  }
  join.genesis_hash = chain::genesis_hash(genesis);
  HC_RETURN_IF_ERROR(write_genesis_file(o.out_dir / "genesis.json", genesis));
  HC_RETURN_IF_ERROR(write_genesis_file(o.manager_dir / "genesis.json", genesis));
  for (std::uint32_t id = 0; id < parts.size(); ++id) {
    join.name = parts[id].name;
    join.node_id = id;
    HC_RETURN_IF_ERROR(write_bundle(o.out_dir / parts[id].name, join, genesis));
  }
  return genesis;
}

Status join_consortium(const JoinOptions& o, const SecureBytes& transfer_code, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(HospitalPublicPart own, load_hospital_public_part(o.dir / "public.json"));
  HC_ASSIGN_OR_RETURN(HospitalSettings settings, load_hospital_settings(o.dir));
  HC_ASSIGN_OR_RETURN(JoinInstructions join, load_join_instructions(o.bundle / "join.json"));
  auto genesis = chain::load_genesis_file((o.bundle / "genesis.json").string());
  if (!genesis.ok()) return genesis.status().with_context((o.bundle / "genesis.json").string());
  HC_RETURN_IF_ERROR(check_bundle_is_ours(join, *genesis, own));
  auto member = groupsig::load_member_key(o.bundle / "member.key", transfer_code.span());
  if (!member.ok()) return member.status().with_context("the bundle's member.key (is the transfer code right?)");
  HC_RETURN_IF_ERROR(groupsig::save_member_key(o.dir / "member.key", *member, passphrase.span(), {}));
  return write_joined_config(o.dir, join, *genesis, settings);
}

}  // namespace hc::cli
