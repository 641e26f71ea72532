// Hospitals on separate machines (docs/deploy.md, "Deploying"): three steps, each on its own
// machine, with only public parts and sealed bundles travelling between them.
//   1. Each hospital: init_hospital() (`hc node init`) creates the hospital's replica key, its
//      P-256 trustee key (trustee.key.pem: used when the chain is in trustees mode), TLS
//      CA and node certificate (keys encrypted under the node passphrase), a doctor token, the
//      hospital administrator's token (admin.token: `hc hospital ...`) and its local settings in DIR, and writes DIR/public.json (hospital_public_part.h).
//   2. The coordinator: assemble_genesis() (`hc genesis assemble`) checks the public parts,
//      creates the manager's directory and the group (consortium_keys.h, as `hc cluster up`
//      does), writes the genesis and, per hospital, a bundle OUT/<name>/: join.json, genesis.json
//      and member.key, the hospital's group member key encrypted under a fresh transfer code
//      (OUT/<name>/transfer.code, mode 0600) that travels by another channel than the bundle.
//   3. Each hospital again: join_consortium() (`hc node join`) checks that the bundle's genesis
//      names this hospital's own keys and chain, re-encrypts the member key under the node
//      passphrase and writes DIR/node.json; `hc-node --config DIR/node.json` then joins.
// Not safe to run twice on one directory concurrently; otherwise no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "cli/hospital_public_part.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/groupsig/keyfile.h"

namespace hc::cli {

struct HospitalInitOptions {
  std::filesystem::path dir;  // must not exist, or be empty
  std::string chain_id;       // the chain the hospital joins
  std::string name;           // its member name
  std::string host;           // its public address (DNS name or IPv4), in its certificate
  std::uint16_t peer_port = 0;
  std::uint16_t api_port = 0;
  std::string bind_host = "0.0.0.0";  // where the node listens (both ports)
};

// kInvalidInput / kAlreadyExists with a one-line reason for bad options or a used directory.
Result<HospitalPublicPart> init_hospital(const HospitalInitOptions& options, const SecureBytes& passphrase);

inline constexpr std::uint32_t kMinConsortiumHospitals = 4;
inline constexpr std::uint32_t kMaxConsortiumHospitals = 64;

struct AssembleOptions {
  std::vector<std::filesystem::path> hospitals;  // public.json files; replica ids in this order
  std::string chain_id;
  std::filesystem::path manager_dir;  // created (must not exist, or be empty)
  std::filesystem::path out_dir;      // created (must not exist, or be empty)
  groupsig::ScryptParams key_scrypt;
  // trustees (docs/threshold.md): every public part must carry a trustee key; the genesis is
  // version 4 with the hospitals as the m = n trustees in this order and t = 2f+1.
  chain::AccessMode access_mode = chain::AccessMode::kSingleManager;
};

// kInvalidInput naming the file and the reason for a malformed public part, a duplicate
// hospital (name, replica key, TLS CA, peer address or API URL), a part for another chain,
// or too few / too many hospitals; nothing is written then.
Result<chain::Genesis> assemble_genesis(const AssembleOptions& options, const SecureBytes& manager_passphrase);

struct JoinOptions {
  std::filesystem::path dir;     // made by init_hospital
  std::filesystem::path bundle;  // OUT/<name> from assemble_genesis
};

// kInvalidInput if the bundle is not for this hospital and chain (another chain id, a genesis
// that does not hash to join.json's, or whose replica at node_id is not this hospital's keys);
// kAuthFailed for a wrong transfer code.
Status join_consortium(const JoinOptions& options, const SecureBytes& transfer_code, const SecureBytes& passphrase);

}  // namespace hc::cli
