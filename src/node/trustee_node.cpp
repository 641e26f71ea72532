// Node::State's trustee parts (node_state.h): loading the trustee key and starting the worker,
// admitting its transactions on the consensus thread, and its metrics.
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "node/node_state.h"
#include "node/trustee_identity.h"

namespace hc::node {

Status Node::State::open_trustee(const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(std::optional<TrusteeStart> start, load_trustee_start(config, *store, passphrase));
  if (!start) return Status::ok_status();
  if (start->sharing_reshare_epoch == 0 && start->sharing_seat != 0) {
    spdlog::info("trustee {} of {} (t = {}): trustee key loaded and matches the genesis", start->sharing_seat,
                 store->genesis().trustee_keys.size(), store->genesis().trustee_threshold);
  } else if (start->sharing_seat != 0) {
    spdlog::info("trustee {} of the sharing of resharing epoch {}: its trustee key file matches the key announced for "
                 "it", start->sharing_seat, start->sharing_reshare_epoch);
  } else {
    spdlog::info("no trustee seat in the sharing in force (resharing epoch {}): the node takes a seat when a "
                 "resharing to a configuration it is in completes", start->sharing_reshare_epoch);
  }
  auto key_files = std::make_unique<TrusteeKeyFiles>(start->first_key_file, SecureBytes(passphrase.view()));
  trustee = std::make_unique<TrusteeWorker>(
      *store, std::move(start->genesis_seat), config.node_id, std::move(key_files), start->first_key_holds_share,
      [this](TrusteeTx tx) {
        boost::asio::post(io, [this, tx = std::move(tx)]() mutable { admit_trustee_tx(std::move(tx)); });
      });
  return Status::ok_status();
}

void Node::State::admit_trustee_tx(TrusteeTx tx) {
  Status checked = healthy() ? app->check_tx(tx.encoding)
                             : Status::error(ErrorCode::kUnavailable, "the node is unhealthy: " + halted.message());
  if (!checked.ok()) {
    metrics.add_counter("hc_trustee_refused_total", "Trustee transactions refused by the ledger's admission check");
    if (trustee) trustee->note_refused(tx.label, checked);
    return;
  }
  submitted.add(chain::transaction_id(tx.encoding));
  driver->submit(std::move(tx.encoding));
}

void Node::State::refresh_trustee_metrics() {
  if (!trustee) return;
  const TrusteeStatus t = trustee->status();
  metrics.set_counter("hc_trustee_deals_posted_total", "DKG deals this trustee posted",
                      static_cast<double>(t.deals_posted));
  metrics.set_counter("hc_trustee_complaints_posted_total", "DKG complaints this trustee posted",
                      static_cast<double>(t.complaints_posted));
  metrics.set_counter("hc_trustee_requests_answered_total", "Access requests this trustee answered with decryption shares",
                      static_cast<double>(t.requests_answered));
  metrics.set_counter("hc_trustee_requests_skipped_total",
                      "Committed access requests this trustee could not answer (see the node log)",
                      static_cast<double>(t.requests_skipped));
  metrics.set_gauge("hc_trustee_key_epoch", "The key epoch of this trustee's latest DKG",
                    static_cast<double>(t.key_epoch));
  metrics.set_gauge("hc_trustee_share_ready", "1 once this trustee holds its checked secret share of the current key",
                    t.share_ready ? 1 : 0);
}

}  // namespace hc::node
