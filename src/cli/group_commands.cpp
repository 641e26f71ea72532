// `hc group ...`: BBS04 group signatures from the command line (docs/groupsig.md).
//
// setup / enroll / revoke are the issuer's (D/issuer.key), open is the opener's
// (D/opener.key), sign / update-key are a member's, verify / judge are anyone's, and so is
// judge-opening (trustees mode: a threshold opening checked from the chain, opening_judge_command.cpp).
// open and judge also take a BBS04-ElGamal signature of a genesis-7 single-manager chain, with
// --genesis (elgamal_opening_files.h).
// Passphrases come from --passphrase-file or HC_PASSPHRASE, never from the command line.
// `verify` and `judge` print `valid` (exit 0) or `invalid` (exit 1, reason on stderr).
// Each command handles one signature, so none builds precomputed tables (they pay off only
// for long-lived signers and verifiers, see sign.h and prepared_key.h).
#include <cstdio>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/elgamal_opening_files.h"
#include "common/file_io.h"
#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/params.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/store.h"
#include "crypto/groupsig/verify.h"

namespace hc::cli {
namespace {

namespace gs = hc::groupsig;
using std::filesystem::path;

struct Options {
  std::string dir, member, out, key, in, sig, gpk, registry, proof, proof_out, revocation, genesis;
  std::string passphrase_file, member_passphrase_file;
};


Result<Bytes> read_message(const std::string& file) {
  return read_file(file, gs::kMaxMessageBytes);
}

Status refuse_existing(const path& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return Status::error(ErrorCode::kAlreadyExists,
                         fmt::format("{} already exists; refusing to overwrite it", file.string()));
  }
  return Status::ok_status();
}

Status cmd_setup(const Options& o) {
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  gs::GroupSetup s = gs::setup();
  HC_RETURN_IF_ERROR(gs::GroupDir(o.dir).create(s.gpk, s.registry, s.issuer, s.opener, pass.span()));
  std::printf("group created in %s (epoch 0); public key %s\n", o.dir.c_str(),
              gs::GroupDir(o.dir).current_gpk().c_str());
  return Status::ok_status();
}

Status cmd_enroll(const Options& o) {
  HC_RETURN_IF_ERROR(refuse_existing(o.out));
  // The member key goes to the hospital: it must not be sealed under the issuer's passphrase.
  if (o.member_passphrase_file.empty()) {
    return invalid_input("enroll needs --member-passphrase-file: the member key gets its own "
                         "passphrase, never the issuer's");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  HC_ASSIGN_OR_RETURN(SecureBytes member_pass, gs::read_passphrase(o.member_passphrase_file));
  if (member_pass.view() == pass.view()) {
    return invalid_input("the member key's passphrase must differ from the issuer's");
  }
  gs::GroupDir dir(o.dir);
  HC_ASSIGN_OR_RETURN(gs::CurrentIssuance issuance, gs::load_current_issuance(dir, pass.span()));
  const std::uint64_t epoch = issuance.epoch;
  gs::IssuerKey& issuer = issuance.issuer;
  gs::Registry& reg = issuance.registry;
  HC_ASSIGN_OR_RETURN(gs::MemberKey key, gs::enroll(issuer, issuance.gpk, reg, o.member));
  HC_RETURN_IF_ERROR(gs::save_member_key(o.out, key, member_pass.span()));
  HC_RETURN_IF_ERROR(gs::save_issuer_key(dir.issuer_key(), issuer, pass.span()));
  HC_RETURN_IF_ERROR(dir.save_current_registry(reg));
  std::printf("enrolled %s in epoch %llu; key written to %s\n", o.member.c_str(),
              static_cast<unsigned long long>(epoch), o.out.c_str());
  return Status::ok_status();
}

Status cmd_sign(const Options& o) {
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  HC_ASSIGN_OR_RETURN(gs::MemberKey key, gs::load_member_key(o.key, pass.span()));
  HC_RETURN_IF_ERROR(gs::check_member_key(key));
  HC_ASSIGN_OR_RETURN(Bytes message, read_message(o.in));
  gs::Signature sig = gs::sign(key, message);
  HC_RETURN_IF_ERROR(write_file_atomic(o.out, gs::encode_signature(sig)));
  std::printf("signed %s in epoch %llu -> %s\n", o.in.c_str(),
              static_cast<unsigned long long>(sig.epoch), o.out.c_str());
  return Status::ok_status();
}

Status cmd_verify(const Options& o) {
  HC_ASSIGN_OR_RETURN(gs::GroupPublicKey gpk, gs::load_gpk(o.gpk));
  HC_ASSIGN_OR_RETURN(Bytes message, read_message(o.in));
  HC_ASSIGN_OR_RETURN(Bytes sig_bytes, read_file(o.sig, gs::kMaxEncodingBytes));
  Result<gs::Signature> sig = gs::decode_signature(sig_bytes);
  if (!sig.ok()) return report_invalid(sig.status());
  Status st = gs::verify(gs::PreparedGroupKey(gpk, gs::Precompute::kNone), message, sig.value());
  if (!st.ok()) return report_invalid(st);
  std::printf("valid\n");
  return Status::ok_status();
}

Status cmd_open(const Options& o) {
  HC_RETURN_IF_ERROR(refuse_existing(o.proof_out));
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  gs::GroupDir dir(o.dir);
  HC_ASSIGN_OR_RETURN(Bytes sig_bytes, read_file(o.sig, gs::kMaxEncodingBytes));
  if (is_elgamal_signature_file(sig_bytes)) {
    if (o.genesis.empty()) return invalid_input("a BBS04-ElGamal signature is opened with --genesis (version 7)");
    HC_ASSIGN_OR_RETURN(Bytes message, read_message(o.in));
    return open_elgamal_signature(o.dir, o.genesis, message, sig_bytes, o.proof_out, pass);
  }
  HC_ASSIGN_OR_RETURN(gs::Signature sig, gs::load_signature(o.sig));
  HC_ASSIGN_OR_RETURN(gs::GroupPublicKey gpk, gs::load_gpk(dir.gpk(sig.epoch)));
  HC_ASSIGN_OR_RETURN(gs::Registry reg, gs::load_registry(dir.registry(sig.epoch)));
  if (gs::has_no_opener(gpk)) {
    return Status::error(ErrorCode::kUnavailable,
                         "this group has no opener key (trustees mode): a hospital is unmasked only by t trustees "
                         "answering an opening request committed on the chain");
  }
  HC_ASSIGN_OR_RETURN(gs::OpenerKey opener, gs::load_opener_key(dir.opener_key(), pass.span()));
  HC_RETURN_IF_ERROR(gs::check_opener_matches(opener, gpk));
  HC_ASSIGN_OR_RETURN(Bytes message, read_message(o.in));
  HC_ASSIGN_OR_RETURN(gs::Opening opening,
                      gs::open(gs::PreparedGroupKey(gpk, gs::Precompute::kNone), opener, reg, message, sig));
  HC_RETURN_IF_ERROR(write_file_atomic(o.proof_out, gs::encode_opening_proof(opening.proof)));
  std::printf("%s\n", opening.member.c_str());
  return Status::ok_status();
}

Status cmd_judge(const Options& o) {
  HC_ASSIGN_OR_RETURN(gs::GroupPublicKey gpk, gs::load_gpk(o.gpk));
  HC_ASSIGN_OR_RETURN(gs::Registry reg, gs::load_registry(o.registry));
  HC_ASSIGN_OR_RETURN(Bytes message, read_message(o.in));
  HC_RETURN_IF_ERROR(gs::check_member_name(o.member));
  HC_ASSIGN_OR_RETURN(Bytes sig_bytes, read_file(o.sig, gs::kMaxEncodingBytes));
  HC_ASSIGN_OR_RETURN(Bytes proof_bytes, read_file(o.proof, gs::kMaxEncodingBytes));
  if (is_elgamal_signature_file(sig_bytes)) {
    if (o.genesis.empty()) return invalid_input("a BBS04-ElGamal signature is judged with --genesis (version 7)");
    return judge_elgamal_signature(o.genesis, o.gpk, o.registry, message, sig_bytes, proof_bytes, o.member);
  }
  Result<gs::Signature> sig = gs::decode_signature(sig_bytes);
  if (!sig.ok()) return report_invalid(sig.status());
  Result<gs::OpeningProof> proof = gs::decode_opening_proof(proof_bytes);
  if (!proof.ok()) return report_invalid(proof.status());
  Status st = gs::judge(gs::PreparedGroupKey(gpk, gs::Precompute::kNone), reg, message, sig.value(), proof.value(), o.member);
  if (!st.ok()) return report_invalid(st);
  std::printf("valid\n");
  return Status::ok_status();
}

Status cmd_revoke(const Options& o) {
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  gs::GroupDir dir(o.dir);
  HC_ASSIGN_OR_RETURN(gs::CurrentIssuance issuance, gs::load_current_issuance(dir, pass.span()));
  gs::IssuerKey& issuer = issuance.issuer;
  HC_ASSIGN_OR_RETURN(gs::Revocation rev, gs::revoke(issuer, issuance.gpk, issuance.registry, o.member));
  HC_RETURN_IF_ERROR(dir.publish_epoch(rev.gpk, rev.registry, &rev.record));
  HC_RETURN_IF_ERROR(gs::save_issuer_key(dir.issuer_key(), issuer, pass.span()));
  std::printf("revoked %s; epoch %llu starts with record %s and public key %s\n", o.member.c_str(),
              static_cast<unsigned long long>(rev.gpk.epoch),
              dir.revocation(rev.gpk.epoch).c_str(), dir.gpk(rev.gpk.epoch).c_str());
  return Status::ok_status();
}

Status cmd_update_key(const Options& o) {
  HC_ASSIGN_OR_RETURN(SecureBytes pass, gs::read_passphrase(o.passphrase_file));
  HC_ASSIGN_OR_RETURN(gs::MemberKey key, gs::load_member_key(o.key, pass.span()));
  HC_ASSIGN_OR_RETURN(gs::RevocationRecord rec, gs::load_revocation(o.revocation));
  HC_ASSIGN_OR_RETURN(gs::MemberKey updated, gs::update_member_key(key, rec));
  HC_RETURN_IF_ERROR(gs::save_member_key(o.key, updated, pass.span()));
  std::printf("key of %s updated to epoch %llu\n", updated.name.c_str(),
              static_cast<unsigned long long>(updated.gpk.epoch));
  return Status::ok_status();
}

CLI::App* add(CLI::App* group, const char* name, const char* help, Options& o,
              Status (*fn)(const Options&)) {
  CLI::App* cmd = group->add_subcommand(name, help);
  run_with(cmd, [&o, fn]() { return fn(o); });
  return cmd;
}

void add_passphrase(CLI::App* cmd, Options& o) {
  cmd->add_option("--passphrase-file", o.passphrase_file,
                  "file holding the passphrase (default: $HC_PASSPHRASE)");
}

}  // namespace

void register_group_commands(CLI::App& app) {
  static Options o;
  CLI::App* group = app.add_subcommand("group", "BBS04 group signatures: setup, enroll, sign, "
                                                "verify, open, judge, revoke, update-key");
  group->require_subcommand(1);

  CLI::App* c = add(group, "setup", "create a group directory (issuer, opener, epoch 0)", o, cmd_setup);
  c->add_option("--dir", o.dir, "group directory")->required();
  add_passphrase(c, o);

  c = add(group, "enroll", "enroll a member and write its encrypted key", o, cmd_enroll);
  c->add_option("--dir", o.dir, "group directory")->required();
  c->add_option("--member", o.member, "member name")->required();
  c->add_option("--out", o.out, "member key file to create")->required();
  add_passphrase(c, o);
  c->add_option("--member-passphrase-file", o.member_passphrase_file,
                "file holding the new member key's own passphrase (required; must differ from "
                "the issuer's)");

  c = add(group, "sign", "group-sign a file", o, cmd_sign);
  c->add_option("--key", o.key, "member key file")->required();
  c->add_option("--in", o.in, "file to sign")->required();
  c->add_option("--out", o.out, "signature file to write")->required();
  add_passphrase(c, o);

  c = add(group, "verify", "verify a group signature (prints valid / invalid)", o, cmd_verify);
  c->add_option("--gpk", o.gpk, "group public key of the signature's epoch")->required();
  c->add_option("--in", o.in, "signed file")->required();
  c->add_option("--sig", o.sig, "signature file")->required();

  c = add(group, "open", "find the signer and write a proof of the opening (not for a trustees-mode group)", o,
          cmd_open);
  c->add_option("--dir", o.dir, "group directory")->required();
  c->add_option("--in", o.in, "signed file")->required();
  c->add_option("--sig", o.sig, "signature file")->required();
  c->add_option("--proof-out", o.proof_out, "opening proof to write")->required();
  c->add_option("--genesis", o.genesis,
                "genesis file (version 7): opens a BBS04-ElGamal signature with DIR/elgamal-opener.key");
  add_passphrase(c, o);

  c = add(group, "judge", "check an opening proof (prints valid / invalid)", o, cmd_judge);
  c->add_option("--gpk", o.gpk, "group public key of the signature's epoch")->required();
  c->add_option("--registry", o.registry, "registry of that epoch")->required();
  c->add_option("--in", o.in, "signed file")->required();
  c->add_option("--sig", o.sig, "signature file")->required();
  c->add_option("--proof", o.proof, "opening proof")->required();
  c->add_option("--member", o.member, "the member the proof must name")->required();
  c->add_option("--genesis", o.genesis, "genesis file (version 7): for a BBS04-ElGamal signature, its opener key");

  register_opening_judge_command(group);

  c = add(group, "revoke", "revoke a member and start the next epoch", o, cmd_revoke);
  c->add_option("--dir", o.dir, "group directory")->required();
  c->add_option("--member", o.member, "member to revoke")->required();
  add_passphrase(c, o);

  c = add(group, "update-key", "move a member key to the epoch of a revocation record", o,
          cmd_update_key);
  c->add_option("--key", o.key, "member key file (rewritten in place)")->required();
  c->add_option("--revocation", o.revocation, "revocation record")->required();
  add_passphrase(c, o);
}

}  // namespace hc::cli
