// `hc group judge-opening`: checks, from the chain alone, the evidence of a threshold opening
// in trustees mode (client/threshold_opening_judge.h): the committed request that asked to
// open, the record's group signature, the trustees' committed partial openings and their
// public opener shares from the proven DKG transcript. Prints `valid` (exit 0) or `invalid`
// (exit 1, the reason on stderr), like `hc group judge` for a single opener's proof.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/threshold_opening_judge.h"
#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/store.h"

namespace hc::cli {
namespace {

struct JudgeOpeningArgs {
  std::string node, genesis, token_file, request, record, gpk, registry, member;
};

Status judge_opening(const JudgeOpeningArgs& a) {
  HC_ASSIGN_OR_RETURN(chain::Digest request_id, chain::digest_from_hex(a.request));
  HC_ASSIGN_OR_RETURN(chain::Digest record_id, chain::digest_from_hex(a.record));
  HC_RETURN_IF_ERROR(groupsig::check_member_name(a.member));
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  trust.follow_changes_of(a.node);
  if (trust.genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: openings are judged with hc group judge and an opening proof");
  }
  HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk, groupsig::load_gpk(a.gpk));
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(a.registry));
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::connect_to_node(a.node, std::move(token), trust.genesis()));
  auto judged = client::judge_threshold_opening(node, trust, request_id, record_id, gpk, registry, a.member);
  if (!judged.ok()) {
    if (judged.status().code() == ErrorCode::kAuthFailed || judged.status().code() == ErrorCode::kInvalidInput) {
      return report_invalid(judged.status());
    }
    return judged.status();
  }
  std::string trustees;
  for (std::uint16_t j : judged->trustees) trustees += (trustees.empty() ? "" : ", ") + std::to_string(j);
  std::printf("valid\n");
  std::fprintf(stderr, "record %s (height %llu) was signed by %s: opened by trustees %s in answer to request %s "
               "(height %llu, key epoch %llu%s)\n",
               a.record.c_str(), static_cast<unsigned long long>(judged->record_height), a.member.c_str(),
               trustees.c_str(), a.request.c_str(), static_cast<unsigned long long>(judged->request_height),
               static_cast<unsigned long long>(judged->key_epoch),
               judged->reshare_epoch == 0 ? "" : (", resharing epoch " + std::to_string(judged->reshare_epoch)).c_str());
  return Status::ok_status();
}

}  // namespace

void register_opening_judge_command(CLI::App* group) {
  auto a = std::make_shared<JudgeOpeningArgs>();
  CLI::App* c = group->add_subcommand(
      "judge-opening",
      "trustees mode: check a threshold opening from the chain (the request, the record's signature, the "
      "trustees' partial openings and public shares); prints valid / invalid");
  c->add_option("--node", a->node, "a node's API URL (everything it serves is verified against --genesis)")->required();
  c->add_option("--genesis", a->genesis, "the chain's genesis file")->required();
  c->add_option("--token-file", a->token_file, "file holding a reader token")->required();
  c->add_option("--request", a->request, "the access request's transaction id (64 hex digits)")->required();
  c->add_option("--record", a->record, "the record's transaction id (64 hex digits)")->required();
  c->add_option("--gpk", a->gpk, "group public key of the signature's epoch")->required();
  c->add_option("--registry", a->registry, "registry of that epoch")->required();
  c->add_option("--member", a->member, "the member the opening must name")->required();
  run_with(c, [a]() { return judge_opening(*a); });
}

}  // namespace hc::cli
