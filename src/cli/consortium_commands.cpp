// `hc consortium propose-join | approve | leave | vote-out | status` (issue 16 items 1 and 5):
// a hospital asks to join the consortium, members approve, a member leaves or proposes
// removing another, and anyone follows the proposals (docs/ledger.md, "Consortium
// governance"). Each transaction is signed with a replica's Ed25519 key read from its
// encrypted key file (the node's `replica_key_file`, or the candidate's own, made with `hc node
// init`), whose passphrase comes from --passphrase-file or $HC_PASSPHRASE, never a command-line
// value; it is posted to POST /v1/manager/transactions and followed to its block. Names and
// addresses a candidate chose are untrusted text: shown through client/terminal_text.h.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "chain/governance_rules.h"
#include "chain/transaction_governance.h"
#include "cli/commands.h"
#include "cli/passphrase.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/terminal_text.h"
#include "crypto/p256_key_file.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"

namespace hc::cli {

namespace {

using nlohmann::json;
constexpr std::uint32_t kGovernanceCommitTimeoutMs = 30000;

struct ConsortiumArgs {
  std::string node, genesis, key_file, name, api_address, peer_address, tls_ca_file, proposal, member_text, approver_text;
  std::string enrollment_key_file;  // propose-join: the P-256 key its member key is boxed to (trustee.key.pem)
  std::uint32_t replica_id = 0;
  bool json_out = false;
  bool as_admin = false;  // approve: the admin key signs (a genesis that lets the admin approve)
  PassphraseOption pass;
};

struct Connected {
  chain::Genesis genesis;
  chain::Digest chain_id{};
  client::NodeClient node;
};

Result<Connected> connect(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::connect_to_node(a.node, {}, trust.genesis()));
  return Connected{trust.genesis(), chain::genesis_hash(trust.genesis()), std::move(node)};
}

Result<crypto::Ed25519PrivateKey> load_key(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  auto key = crypto::Ed25519PrivateKey::load(a.key_file, passphrase);
  if (!key.ok()) return key.status().with_context("replica key " + a.key_file);
  return key;
}

// A nonce that differs between two proposals of the same signer (milliseconds since 1970).
std::uint64_t fresh_nonce() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// Signs, posts and waits for the commit; prints the transaction id and height.
Result<std::string> submit(Connected& c, chain::Transaction tx, const crypto::Ed25519PrivateKey& key) {
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  HC_RETURN_IF_ERROR(chain::sign_governance_tx(tx, key));
  HC_ASSIGN_OR_RETURN(std::string tx_id, c.node.submit_manager_transaction(chain::encode_transaction(tx)));
  HC_ASSIGN_OR_RETURN(client::TxStatus st, c.node.wait_committed(tx_id, kGovernanceCommitTimeoutMs));
  std::printf("%s %s committed at height %llu\n", chain::tx_kind_name(chain::kind_of(tx)), tx_id.c_str(),
              static_cast<unsigned long long>(st.height));
  return tx_id;
}

Result<std::uint32_t> parse_member(const std::string& text, const std::string& option) {
  std::uint32_t id = 0;
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
      (id = static_cast<std::uint32_t>(std::stoul(text))) >= chain::kMaxReplicas) {
    return invalid_input(option + " must be a replica id (0..255), not '" + client::for_terminal(text) + "'");
  }
  return id;
}

void print_proposal_outcome(Connected& c, const std::string& proposal_id) {
  auto p = c.node.consortium_proposal(proposal_id);
  if (!p.ok()) return;
  const std::string status = p->value("status", "");
  std::printf("proposal %s: %s", proposal_id.c_str(), client::for_terminal(status).c_str());
  if (status == "accepted" && p->contains("replica_id")) std::printf(" (replica id %s)", (*p)["replica_id"].dump().c_str());
  if (status == "open") {
    std::printf(" (%s of %s member approvals, expires after height %s)", (*p)["approvals_from_members"].dump().c_str(),
                (*p)["approvals_needed"].dump().c_str(), (*p)["expires_height"].dump().c_str());
  }
  std::printf("\n");
}

Status propose_join(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(Connected c, connect(a));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, load_key(a));
  chain::JoinRequestTx join;
  join.chain_id = c.chain_id;
  join.replica_key = key.public_key().bytes();
  join.name = a.name;
  join.api_address = a.api_address;
  join.peer_address = a.peer_address;
  if (!a.enrollment_key_file.empty()) {
    if (a.peer_address.empty()) return invalid_input("--enrollment-key-file needs --peer-address (wire kind 24)");
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
    auto secret = crypto::load_p256_key(a.enrollment_key_file, passphrase);
    if (!secret.ok()) return secret.status().with_context("enrollment key " + a.enrollment_key_file);
    join.enrollment_key = crypto::P256Point::base_mul(*secret).encode();
  }
  if (!a.tls_ca_file.empty()) {
    HC_ASSIGN_OR_RETURN(join.tls_ca_pem, read_text_file(a.tls_ca_file, chain::kMaxTlsCaCertificateBytes));
  }
  join.nonce = fresh_nonce();
  HC_ASSIGN_OR_RETURN(std::string id, submit(c, join, key));
  std::printf("join request %s: the members approve it with hc consortium approve --proposal %s\n", id.c_str(), id.c_str());
  return Status::ok_status();
}

Status approve(const ConsortiumArgs& a) {
  auto proposal = chain::digest_from_hex(a.proposal);
  if (!proposal.ok()) return invalid_input("--proposal must be a proposal id (64 hex digits)");
  if (a.as_admin == !a.approver_text.empty()) {
    return invalid_input("give --replica-id (a member approves) or --admin (the admin key approves), not both");
  }
  std::uint32_t approver = chain::kAdminApprover;
  if (!a.as_admin) {
    HC_ASSIGN_OR_RETURN(approver, parse_member(a.approver_text, "--replica-id"));
  }
  HC_ASSIGN_OR_RETURN(Connected c, connect(a));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, load_key(a));
  HC_RETURN_IF_ERROR(submit(c, chain::GovernanceApprovalTx{c.chain_id, *proposal, approver, {}}, key).status());
  print_proposal_outcome(c, a.proposal);
  return Status::ok_status();
}

Status leave(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(Connected c, connect(a));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, load_key(a));
  HC_ASSIGN_OR_RETURN(std::string id, submit(c, chain::ExitAnnouncementTx{c.chain_id, a.replica_id, fresh_nonce(), {}}, key));
  print_proposal_outcome(c, id);
  return Status::ok_status();
}

Status vote_out(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(std::uint32_t target, parse_member(a.member_text, "--member"));
  HC_ASSIGN_OR_RETURN(Connected c, connect(a));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, load_key(a));
  HC_ASSIGN_OR_RETURN(std::string id,
                      submit(c, chain::VoteOutProposalTx{c.chain_id, a.replica_id, target, fresh_nonce(), {}}, key));
  print_proposal_outcome(c, id);
  return Status::ok_status();
}

// Trustees mode: the latest resharing of the trustees' shares (issue 16 item 3): its epoch,
// phase and windows, who announced a fresh key, who dealt, the complaints with their verdicts
// and the outcome.
void print_resharing(const json& s) {
  if (!s.contains("resharing") || !s["resharing"].is_object()) return;
  const json& r = s["resharing"];
  // The chain's query gives 64-bit numbers as decimal strings: printed as the numbers they are.
  auto text = [](const json& v) { return v.is_string() ? client::for_terminal(v.get<std::string>()) : v.dump(); };
  auto field = [&](const char* name) { return text(r.value(name, json())); };
  auto ids = [&](const json& list, const char* name) {
    std::string out;
    if (!list.is_array()) return out;
    for (const json& e : list) {
      if (!e.is_object() || !e.contains(name)) continue;
      out += (out.empty() ? "" : ",") + text(e[name]);
    }
    return out.empty() ? std::string("none") : out;
  };
  // While members may still announce, the finalizing height is a bound (chain/reshare_state.h).
  const bool open = !r.value("announcements_closed", true);
  std::printf("resharing %s  key epoch %s  phase %s  started at %s  finalize at %s%s  t_new %s\n",
              field("reshare_epoch").c_str(), field("key_epoch").c_str(), client::for_terminal(r.value("phase", "")).c_str(),
              field("started_at_height").c_str(), field("finalize_height").c_str(), open ? " at the latest" : "",
              field("new_threshold").c_str());
  std::printf("  announced: members %s\n", ids(r.value("announcements", json::array()), "member").c_str());
  std::printf("  dealt: old seats %s\n", ids(r.value("deals", json::array()), "dealer").c_str());
  if (r.contains("complaints") && r["complaints"].is_array()) {
    for (const json& c : r["complaints"]) {
      std::printf("  complaint: new seat %s against old seat %s: %s\n", text(c.value("complainer", json())).c_str(),
                  text(c.value("dealer", json())).c_str(), client::for_terminal(c.value("verdict", "")).c_str());
    }
  }
  const json& outcome = r.contains("outcome") ? r["outcome"] : json(nullptr);
  if (!outcome.is_object()) {
    std::printf("  outcome: not yet\n");
  } else if (outcome.value("formed", false)) {
    std::printf("  outcome: formed at %s; qualified %s, disqualified %s, absent %s\n",
                text(outcome.value("finalized_at_height", json())).c_str(),
                outcome.value("qualified", json::array()).dump().c_str(),
                outcome.value("disqualified", json::array()).dump().c_str(),
                outcome.value("absent", json::array()).dump().c_str());
  } else {
    std::printf("  outcome: failed at %s (%s); the old sharing stays in force\n",
                text(outcome.value("finalized_at_height", json())).c_str(),
                client::for_terminal(outcome.value("failure", "")).c_str());
  }
}

void print_status(const json& s) {
  std::printf("consortium at height %s: %zu members, a change needs %s approvals",
              s["height"].dump().c_str(), s["members"].size(), s["approvals_needed"].dump().c_str());
  if (s["rules"].value("admin_approval_suffices", false)) std::printf(" (or the admin's)");
  std::printf("; proposals expire after %s blocks\n", s["rules"]["proposal_expiry_blocks"].dump().c_str());
  for (const json& m : s["members"]) {
    std::printf("  member %s  %s", m["id"].dump().c_str(), client::for_terminal(m.value("public_key", "")).c_str());
    if (m.contains("name")) {
      std::printf("  %s  %s  joined at height %s", client::for_terminal(m.value("name", "")).c_str(),
                  client::for_terminal(m.value("api_address", "")).c_str(), m["joined_height"].dump().c_str());
      if (m.contains("peer_address")) std::printf(", peers dial %s", client::for_terminal(m.value("peer_address", "")).c_str());
    }
    std::printf("\n");
  }
  // What the manager owes (hc manager follow-membership does it): from the node's "group".
  if (s.contains("group") && s["group"].is_array()) {
    for (const json& g : s["group"]) {
      if (!g.is_object()) continue;
      const std::string name = client::for_terminal(g.value("name", ""));
      const std::string id = g.value("id", json()).dump();
      if (g.value("current", false) && !g.value("enrolled", false)) {
        const std::string how = g.value("enrollment_key", false)
                                    ? ": hc manager enroll --member-id " + id + " (or follow-membership)"
                                    : std::string(": its join request named no enrollment key");
        std::printf("  enrollment owed: %s (member %s)%s\n", name.c_str(), id.c_str(), how.c_str());
      } else if (!g.value("current", true) && g.value("enrolled", false) && !g.value("revoked", false)) {
        std::printf("  revocation owed: %s (member %s left the consortium)\n", name.c_str(), id.c_str());
      }
    }
  }
  for (const json& c : s["changes"]) {
    std::printf("  change accepted at height %s: members %s (in force from the engine's boundary after it)\n",
                c["accepted_at_height"].dump().c_str(), c["members"].dump().c_str());
  }
  if (s["proposals"].empty()) std::printf("  no open proposal\n");
  for (const json& p : s["proposals"]) {
    std::printf("  proposal %s  %s  %s  proposed at %s, expires after %s, approvers %s",
                client::for_terminal(p.value("id", "")).c_str(), client::for_terminal(p.value("kind", "")).c_str(),
                client::for_terminal(p.value("status", "")).c_str(), p["proposed_height"].dump().c_str(),
                p["expires_height"].dump().c_str(), p["approvers"].dump().c_str());
    if (p.contains("candidate")) {
      std::printf("  candidate %s at %s", client::for_terminal(p["candidate"].value("name", "")).c_str(),
                  client::for_terminal(p["candidate"].value("api_address", "")).c_str());
    }
    if (p.contains("member")) std::printf("  member %s", p["member"].dump().c_str());
    std::printf("\n");
  }
  print_resharing(s);
}

Status status(const ConsortiumArgs& a) {
  HC_ASSIGN_OR_RETURN(Connected c, connect(a));
  HC_ASSIGN_OR_RETURN(json s, c.node.consortium_status());
  const bool well_formed = s.is_object() && s.contains("members") && s["members"].is_array() && s.contains("proposals") &&
                           s["proposals"].is_array() && s.contains("changes") && s["changes"].is_array() &&
                           s.contains("rules") && s["rules"].is_object();
  if (!well_formed) return Status::error(ErrorCode::kUnavailable, "the node's consortium answer is not well formed");
  if (a.json_out) {
    std::printf("%s\n", s.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_status(s);
  }
  return Status::ok_status();
}

void add_signer_options(CLI::App* cmd, ConsortiumArgs& a, bool member) {
  cmd->add_option("--node", a.node, "A node's API URL (verified against the genesis)")->required();
  cmd->add_option("--genesis", a.genesis, "The chain's genesis file")->required();
  cmd->add_option("--key", a.key_file, "The replica's encrypted Ed25519 key file (the node's replica_key_file)")->required();
  if (member) cmd->add_option("--replica-id", a.replica_id, "This member's replica id")->required();
  a.pass.add_to(cmd);
}

}  // namespace

void register_consortium_commands(CLI::App& app) {
  auto* group = app.add_subcommand("consortium", "Hospitals join and leave the consortium with its members' approval");
  group->require_subcommand(1);
  auto a = std::make_shared<ConsortiumArgs>();
  auto* join = group->add_subcommand("propose-join", "Ask to join (the candidate hospital, signing with its replica key)");
  add_signer_options(join, *a, false);
  join->add_option("--name", a->name, "The hospital's name (1..64 of [A-Za-z0-9._-])")->required();
  join->add_option("--api-address", a->api_address, "Its API address (host:port)")->required();
  join->add_option("--tls-ca", a->tls_ca_file, "Its TLS CA certificate (PEM), the clients' trust anchor for its node");
  join->add_option("--peer-address", a->peer_address,
                   "Its replica (consensus) address, host:port, recorded on the chain so that hospitals joining "
                   "after it can dial it (optional)");
  join->add_option("--enrollment-key-file", a->enrollment_key_file,
                   "Its P-256 key file (trustee.key.pem, same passphrase): the manager's on-chain enrollment boxes its "
                   "group member key to this key and its node picks it up (needs --peer-address)");
  run_with(join, [a]() { return propose_join(*a); });
  auto* ok = group->add_subcommand("approve", "Approve a join request or vote-out proposal (a member, or the admin)");
  add_signer_options(ok, *a, false);
  ok->add_option("--replica-id", a->approver_text, "This member's replica id (with its node's replica key)");
  ok->add_flag("--admin", a->as_admin,
               "Approve with the manager's admin key (--key DIR/admin.key.pem; counts alone only if the genesis says so)");
  ok->add_option("--proposal", a->proposal, "The proposal id (its transaction id, 64 hex digits)")->required();
  run_with(ok, [a]() { return approve(*a); });
  auto* bye = group->add_subcommand("leave", "Announce that this member leaves (in force from its block; 4 members stay)");
  add_signer_options(bye, *a, true);
  run_with(bye, [a]() { return leave(*a); });
  auto* out = group->add_subcommand("vote-out", "Propose removing another member (the proposal counts as this member's approval)");
  add_signer_options(out, *a, true);
  out->add_option("--member", a->member_text, "The replica id of the member to remove")->required();
  run_with(out, [a]() { return vote_out(*a); });
  auto* st = group->add_subcommand("status", "Members, accepted changes and open proposals with their approvals");
  st->add_option("--node", a->node, "A node's API URL (verified against --genesis)")->required();
  st->add_option("--genesis", a->genesis, "The chain's genesis file")->required();
  st->add_flag("--json", a->json_out, "Print the node's answer as JSON");
  run_with(st, [a]() { return status(*a); });
}

}  // namespace hc::cli
