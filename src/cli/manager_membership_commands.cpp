// `hc manager enroll | follow-membership`: group membership following consortium membership
// (issue 16 item 3; docs/groupsig.md, "Enrollment on the chain"). `enroll --member-id N` puts a
// joined hospital's member key on the chain, boxed to the enrollment key its join request named;
// `follow-membership` reads the verified governance state and the group directory and does what
// is owed: it enrolls every current joined member not yet enrolled and revokes every member
// that left or was voted out (once the chain is past its boundary) and is still in the group.
// Idempotent: what is done is not owed any more. `--once` does it once; without it, it watches,
// every --interval-s seconds. The steps are the client's (client/manager_enrollment.h).
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/manager_chain_commands.h"
#include "cli/passphrase.h"
#include "client/manager_enrollment.h"
#include "client/manager_revocation.h"
#include "client/terminal_text.h"
#include "crypto/groupsig/store.h"

namespace hc::cli {

namespace {

struct MembershipArgs {
  std::string dir, node;
  std::uint32_t member_id = 0;
  bool once = false;
  std::uint32_t interval_s = 10;
  PassphraseOption pass;
};

struct Connected {
  std::unique_ptr<client::ManagerSession> session;
  client::NodeClient writer;
};

Result<Connected> connect_manager(const std::string& dir, const std::string& node, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(dir, SecureBytes(passphrase.view())));
  session->follow_changes_of(node);
  HC_ASSIGN_OR_RETURN(client::NodeClient writer,
                      client::NodeClient::connect(node, {}, session->genesis().tls_trust_anchors()));
  return Connected{std::move(session), std::move(writer)};
}

Result<std::uint64_t> tip_height(const client::NodeClient& node) {
  HC_ASSIGN_OR_RETURN(nlohmann::json status, node.status());
  if (!status.is_object() || !status.contains("height") || !status["height"].is_number_unsigned()) {
    return Status::error(ErrorCode::kUnavailable, "the node's status has no height");
  }
  return status["height"].get<std::uint64_t>();
}

void print_enrolled(const client::EnrollmentDone& done) {
  std::printf("enrolled %s (member %u) in group epoch %llu: its member key is on the chain, boxed to its enrollment "
              "key, transaction %s at height %llu\n",
              client::for_terminal(done.member).c_str(), done.member_id, static_cast<unsigned long long>(done.epoch),
              done.tx_id.c_str(), static_cast<unsigned long long>(done.height));
}

Status enroll(const MembershipArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(Connected c, connect_manager(a.dir, a.node, passphrase));
  HC_ASSIGN_OR_RETURN(client::VerifiedMembership membership,
                      client::read_verified_membership(c.session->genesis(), c.writer));
  HC_ASSIGN_OR_RETURN(client::EnrollmentDone done,
                      client::enroll_joined_member(*c.session, c.writer, membership, a.member_id));
  print_enrolled(done);
  return Status::ok_status();
}

Status follow(const MembershipArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(Connected c, connect_manager(a.dir, a.node, passphrase));
  while (true) {
    auto done = follow_membership_once(*c.session, c.writer, [](const std::string& line) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    });
    if (a.once) {
      if (!done.ok()) return done.status();
      if (*done == 0) std::printf("nothing owed: group membership follows the consortium's\n");
      return Status::ok_status();
    }
    // Watching: a failed look (the node unreachable, a transaction refused) is said and retried.
    if (!done.ok()) std::fprintf(stderr, "follow-membership: %s (retrying)\n", done.status().to_string().c_str());
    std::this_thread::sleep_for(std::chrono::seconds(a.interval_s));
  }
}

void add_common(CLI::App* cmd, MembershipArgs& a) {
  cmd->add_option("--dir", a.dir, "Manager directory")->required();
  cmd->add_option("--node", a.node, "A node's API URL (verified against the genesis)")->required();
  a.pass.add_to(cmd);
}

}  // namespace

Result<std::size_t> follow_membership_once(client::ManagerSession& session, const client::NodeClient& writer,
                                           const std::function<void(const std::string&)>& say) {
  HC_ASSIGN_OR_RETURN(client::VerifiedMembership membership, client::read_verified_membership(session.genesis(), writer));
  HC_ASSIGN_OR_RETURN(std::uint64_t height, tip_height(writer));
  groupsig::GroupDir group(session.dir() / "group");
  HC_ASSIGN_OR_RETURN(std::uint64_t epoch, group.current_epoch());
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(group.registry(epoch)));
  const client::MembershipDuties duties = client::membership_duties(membership, registry, height);
  std::size_t done = 0;
  for (const chain::ConsortiumMember& m : duties.enrollments_owed) {
    if (!m.enrollment_key) {
      say("enrollment owed to " + client::for_terminal(m.name) + " (member " + std::to_string(m.id) +
          "), but its join request carries no enrollment key: hc group enroll, and hand the key over");
      continue;
    }
    HC_ASSIGN_OR_RETURN(client::EnrollmentDone enrolled, client::enroll_joined_member(session, writer, membership, m.id));
    say("enrolled " + client::for_terminal(enrolled.member) + " (member " + std::to_string(m.id) + ") at height " +
        std::to_string(enrolled.height));
    ++done;
  }
  for (const chain::ConsortiumMember& m : duties.revocations_owed) {
    HC_ASSIGN_OR_RETURN(client::RevocationDone revoked, client::revoke_member(session, writer, m.name));
    say("revoked " + client::for_terminal(m.name) + " (member " + std::to_string(m.id) + ", left the consortium): group "
        "epoch " + std::to_string(revoked.new_epoch) + " from height " + std::to_string(revoked.height));
    ++done;
  }
  for (std::uint32_t id : duties.departures_before_boundary) {
    say("member " + std::to_string(id) + " left; its revocation is owed once the chain passes the change's boundary");
  }
  for (std::uint32_t id : duties.departed_unnamed) {
    say("genesis hospital " + std::to_string(id) + " left; its name is not on the chain: revoke it with hc manager "
        "revoke --member NAME if it is still in the group");
  }
  return done;
}

void add_manager_membership_commands(CLI::App* group) {
  auto e = std::make_shared<MembershipArgs>();
  auto* en = group->add_subcommand("enroll", "Enroll a hospital that joined the consortium: its member key on the "
                                             "chain, boxed to the key its join request named");
  add_common(en, *e);
  en->add_option("--member-id", e->member_id, "The joined hospital's replica id (hc consortium status)")->required();
  run_with(en, [e]() { return enroll(*e); });

  auto f = std::make_shared<MembershipArgs>();
  auto* fm = group->add_subcommand("follow-membership", "Enroll every joined hospital and revoke every departed one "
                                                        "that is owed (from the verified governance state)");
  add_common(fm, *f);
  fm->add_flag("--once", f->once, "Do what is owed once and exit (default: watch)");
  fm->add_option("--interval-s", f->interval_s, "Watch mode: seconds between two looks (default 10)")
      ->check(CLI::Range(1, 3600));
  run_with(fm, [f]() { return follow(*f); });
}

}  // namespace hc::cli
