#include "cli/consortium_keys.h"

#include <chrono>

#include "common/file_io.h"
#include "crypto/manager_keys.h"
#include "crypto/serial_number.h"
#include "chain/manager_opener_key.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/store.h"
#include "net/tls_certificate.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kConsortiumTokenBytes = 32;

// The group: setup, one enrollment per member (member keys to their destinations), then the
// group directory with the issuer key, the opener key (single-manager mode only) and the
// epoch-0 registry.
Result<Bytes> create_consortium_group(const fs::path& group_dir, const std::vector<MemberKeyDestination>& members,
                                      const SecureBytes& passphrase, const groupsig::ScryptParams& scrypt,
                                      chain::AccessMode access_mode, ManagerMaterial& out) {
  const bool with_opener = access_mode == chain::AccessMode::kSingleManager;
  groupsig::GroupSetup group;
  if (with_opener) {
    group = groupsig::setup();
  } else {
    groupsig::IssuerSetup issuer_only = groupsig::setup_without_opener();
    group.gpk = issuer_only.gpk;
    group.issuer = std::move(issuer_only.issuer);
    group.registry = std::move(issuer_only.registry);
  }
  for (const MemberKeyDestination& m : members) {
    HC_ASSIGN_OR_RETURN(groupsig::MemberKey member, groupsig::enroll(group.issuer, group.gpk, group.registry, m.name));
    HC_RETURN_IF_ERROR(groupsig::save_member_key(m.file, member, m.passphrase->span(), scrypt));
  }
  groupsig::GroupDir dir(group_dir);
  HC_RETURN_IF_ERROR(with_opener ? dir.create(group.gpk, group.registry, group.issuer, group.opener, passphrase.span(), scrypt)
                                 : dir.create_without_opener(group.gpk, group.registry, group.issuer, passphrase.span(),
                                                             scrypt));
  if (with_opener) {  // the records' opener key (BBS04-ElGamal, genesis version 7)
    groupsig::elgamal::FreshOpener fresh = groupsig::elgamal::new_opener_key(group.gpk.u);
    HC_RETURN_IF_ERROR(
        groupsig::elgamal::save_opener_key_file(dir.elgamal_opener_key(), fresh.opener, fresh.h, passphrase.span(), scrypt));
    out.manager_opener = std::make_shared<const groupsig::elgamal::OpenerKey>(std::move(fresh.opener));
  }
  return groupsig::encode_gpk(group.gpk);
}

}  // namespace

Result<crypto::Digest32> write_new_token(const fs::path& file) {
  SecureBytes raw(kConsortiumTokenBytes);
  crypto::random_bytes(std::span<std::uint8_t>(raw.data(), raw.size()));
  std::string hex = to_hex(raw.span());
  SecureBytes token{std::string_view(hex)};
  secure_wipe(hex.data(), hex.size());
  HC_RETURN_IF_ERROR(write_file_atomic(file, token.span(), 0600));
  return crypto::sha256(token.span());
}

Result<crypto::Ed25519PublicKey> write_new_ed25519_key(const fs::path& file, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::generate());
  HC_ASSIGN_OR_RETURN(std::string pem, key.to_encrypted_pem(passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(file, pem, 0600));
  return key.public_key();
}

Result<std::string> write_tls_material(const fs::path& dir, const std::string& hospital,
                                       const std::vector<std::string>& hosts, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(net::TlsKeyPair ca, net::create_tls_ca(hospital + " TLS CA", passphrase,
                                                             net::Validity{-300, net::kDefaultCaValidityDays * 86400}));
  HC_ASSIGN_OR_RETURN(net::TlsKeyPair cert,
                      net::issue_tls_server_certificate(ca, passphrase, hospital, hosts, passphrase, {}));
  HC_RETURN_IF_ERROR(write_text_file_atomic(dir / "tls-ca.pem", ca.certificate_pem));
  HC_RETURN_IF_ERROR(write_text_file_atomic(dir / "tls-ca.key.pem", ca.encrypted_key_pem, 0600));
  HC_RETURN_IF_ERROR(write_text_file_atomic(dir / "tls.pem", cert.certificate_pem + ca.certificate_pem));
  HC_RETURN_IF_ERROR(write_text_file_atomic(dir / "tls.key.pem", cert.encrypted_key_pem, 0600));
  return ca.certificate_pem;
}

Result<ManagerMaterial> create_manager_directory(const fs::path& manager_dir,
                                                 const std::vector<MemberKeyDestination>& members,
                                                 const SecureBytes& passphrase, const groupsig::ScryptParams& scrypt,
                                                 chain::AccessMode access_mode) {
  HC_RETURN_IF_ERROR(crypto::ManagerKeys::init(manager_dir));
  HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(manager_dir));
  HC_RETURN_IF_ERROR(keys.rotate(passphrase).status());
  ManagerMaterial out;
  HC_ASSIGN_OR_RETURN(out.admin_key, write_new_ed25519_key(manager_dir / "admin.key.pem", passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(manager_dir / "admin.pub", out.admin_key.to_hex() + "\n"));
  HC_ASSIGN_OR_RETURN(out.reader_token_sha256, write_new_token(manager_dir / "reader.token"));
  HC_ASSIGN_OR_RETURN(out.group_public_key,
                      create_consortium_group(manager_dir / "group", members, passphrase, scrypt, access_mode, out));
  return out;
}

Result<chain::Genesis> make_genesis(const std::string& chain_name, std::vector<chain::ReplicaInfo> replicas,
                                    const ManagerMaterial& manager, const fs::path& manager_dir) {
  chain::Genesis genesis;
  genesis.chain_name = chain_name;
  genesis.genesis_time_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  genesis.replicas = std::move(replicas);
  genesis.group_public_key = manager.group_public_key;
  genesis.manager_admin_key = manager.admin_key.bytes();
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, crypto::load_pseudonym_key(manager_dir / "pseudonym.key"));
  HC_ASSIGN_OR_RETURN(genesis.pseudonym_key_check, crypto::pseudonym_key_check(pseudonym_key.span(), genesis.chain_name));
  if (manager.manager_opener) HC_RETURN_IF_ERROR(chain::attach_manager_opener_key(genesis, *manager.manager_opener));
  HC_RETURN_IF_ERROR(chain::check_genesis(genesis));
  return genesis;
}

node::NodeConfig hospital_node_config(std::uint32_t id, const std::string& name, const fs::path& genesis_file,
                                      bool tls, const crypto::Digest32& doctor_token_sha256,
                                      const crypto::Digest32& reader_token_sha256) {
  node::NodeConfig config;
  config.node_id = id;
  config.name = name;
  config.data_dir = "data";
  config.replica_key_file = "replica.key.pem";
  config.member_key_file = "member.key";
  config.genesis_file = genesis_file;
  if (tls) {
    config.tls_certificate_file = "tls.pem";
    config.tls_key_file = "tls.key.pem";
  }
  config.doctor_tokens.push_back(node::DoctorToken{"doctor@" + name, doctor_token_sha256});
  config.reader_tokens.push_back(node::DoctorToken{"manager", reader_token_sha256});
  return config;
}

Status write_genesis_file(const fs::path& file, const chain::Genesis& genesis) {
  return write_text_file_atomic(file, chain::genesis_to_json(genesis).dump(2) + "\n");
}

}  // namespace hc::cli
