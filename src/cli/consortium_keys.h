// The key material of a consortium, made the same way by `hc cluster up` (every hospital on
// one machine, cluster_setup.h) and by `hc node init` / `hc genesis assemble` (each hospital on
// its own machine, hospital_setup.h): a hospital's replica key, bearer tokens and TLS CA with
// its node certificate; the manager's directory (envelope and pseudonym keys, admin key,
// reader token, the group with one member key per hospital, and its opener key in
// single-manager mode only); and the genesis built from them.
// Private keys are written encrypted under the given passphrase, tokens mode 0600. No shared
// state; not safe to run twice on one directory concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/groupsig/keyfile.h"
#include "crypto/hash.h"
#include "node/config.h"

namespace hc::cli {

// A fresh bearer token (64 hex digits) written to `file` (0600, no trailing newline); returns
// the SHA-256 of the token text, which is what node configs hold.
Result<crypto::Digest32> write_new_token(const std::filesystem::path& file);

// A fresh Ed25519 key written as encrypted PKCS#8 PEM (0600); returns its public half.
Result<crypto::Ed25519PublicKey> write_new_ed25519_key(const std::filesystem::path& file,
                                                       const SecureBytes& passphrase);

// The hospital's TLS CA (tls-ca.pem, tls-ca.key.pem) and its node's API certificate for
// `hosts` (tls.pem: certificate then CA; tls.key.pem) in `dir`, keys encrypted under
// `passphrase`. Returns the CA certificate (the genesis' trust anchor for this hospital).
Result<std::string> write_tls_material(const std::filesystem::path& dir, const std::string& hospital,
                                       const std::vector<std::string>& hosts, const SecureBytes& passphrase);

// Where one hospital's group member key goes, and the passphrase it is encrypted under.
struct MemberKeyDestination {
  std::string name;  // the member name (the hospital's name)
  std::filesystem::path file;
  const SecureBytes* passphrase = nullptr;
};

// What the manager's setup hands to the node configs and the genesis.
struct ManagerMaterial {
  crypto::Ed25519PublicKey admin_key;
  Bytes group_public_key;  // epoch 0, groupsig encoding
  crypto::Digest32 reader_token_sha256{};
  // Single-manager mode: the manager's BBS04-ElGamal opener secret (also written encrypted to
  // group/elgamal-opener.key), which make_genesis proves knowledge of (genesis version 7).
  // Wiped when the last copy goes.
  std::shared_ptr<const groupsig::elgamal::OpenerKey> manager_opener;
};

// The manager's directory (layout of client/manager_session.h, without genesis.json): keys
// under `passphrase`, the group with one member per destination, in order. In trustees mode
// the group has no opener (groupsig::setup_without_opener: h = v = u, no opener.key written):
// only the trustees' jointly generated key unmasks a hospital; the manager holds the issuer key.
// In single-manager mode the group also gets the manager's BBS04-ElGamal opener key
// (group/elgamal-opener.key, under `passphrase`), whose h the genesis publishes.
Result<ManagerMaterial> create_manager_directory(const std::filesystem::path& manager_dir,
                                                 const std::vector<MemberKeyDestination>& members,
                                                 const SecureBytes& passphrase, const groupsig::ScryptParams& scrypt,
                                                 chain::AccessMode access_mode);

// The genesis of a new chain: `replicas` (ids 0..n-1 in order), the manager's keys and the
// check value of the manager's pseudonym key; checked by chain::check_genesis. With the
// manager's opener key (single-manager mode) it is version 7: h and its proof of knowledge.
Result<chain::Genesis> make_genesis(const std::string& chain_name, std::vector<chain::ReplicaInfo> replicas,
                                    const ManagerMaterial& manager, const std::filesystem::path& manager_dir);

// The config of hospital `name`'s node `id` with the file names every hospital directory uses
// (data/, replica.key.pem, member.key; tls.pem and tls.key.pem when `tls`), one doctor token
// and the manager's reader token. The caller adds addresses, ports and peers.
node::NodeConfig hospital_node_config(std::uint32_t id, const std::string& name, const std::filesystem::path& genesis_file,
                                      bool tls, const crypto::Digest32& doctor_token_sha256,
                                      const crypto::Digest32& reader_token_sha256);

// The genesis as a file (JSON, chain/genesis.h), written atomically.
Status write_genesis_file(const std::filesystem::path& file, const chain::Genesis& genesis);

}  // namespace hc::cli
