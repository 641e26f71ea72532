#include "node/trustee_worker.h"

#include <spdlog/spdlog.h>

namespace hc::node {

TrusteeWorker::TrusteeWorker(const chain::LedgerStore& store, TrusteeIdentity identity, Post post)
    : store_(store), duties_(store, std::move(identity)), post_(std::move(post)) {
  status_.trustee_index = duties_.index();
}

TrusteeWorker::TrusteeWorker(const chain::LedgerStore& store, TrusteeIdentity genesis_seat, std::uint32_t member_id,
                             std::unique_ptr<TrusteeKeyFiles> key_files, bool first_key_holds_share, Post post)
    : store_(store),
      duties_(store, std::move(genesis_seat), member_id, std::move(key_files), first_key_holds_share),
      post_(std::move(post)) {
  status_.trustee_index = duties_.index();
  status_.key_files_held = duties_.held_key_epochs();
}

TrusteeWorker::~TrusteeWorker() { stop(); }

void TrusteeWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void TrusteeWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TrusteeWorker::notify_committed(std::uint64_t) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  wake_.notify_one();
}

void TrusteeWorker::note_refused(const std::string& label, const Status& why) {
  // A repeat after a restart or a retry ("already", "once per") is expected and harmless; any
  // other reason is a bug worth seeing in the log (one line per post, at most one per request
  // per kRepostAfter).
  spdlog::info("trustee: the ledger refused our {}: {}", label, why.message());
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.submissions_refused;
}

TrusteeStatus TrusteeWorker::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void TrusteeWorker::run() {
  spdlog::info("trustee {}: worker started", duties_.index());
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, kIdleWake, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    turn();
  }
}

void TrusteeWorker::turn() {
  TrusteeStatus dkg;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dkg = status_;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_dkg_post_ >= kRepostAfter) duties_.allow_reposts();
  auto due = duties_.dkg_step(dkg);
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.trustees = dkg.trustees;
    status_.threshold = dkg.threshold;
    status_.key_epoch = dkg.key_epoch;
    status_.phase = dkg.phase;
    status_.failure = dkg.failure;
    status_.key_id_hex = dkg.key_id_hex;
    status_.share_ready = dkg.share_ready;
  }
  if (!due.ok()) {
    record_error(due.status());
  } else {
    post_due(std::move(due).value(), now);
  }
  TrusteeStatus reshare = dkg;
  auto reshare_due = duties_.reshare_step(reshare);
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.trustee_index = reshare.trustee_index;
    status_.trustees = reshare.trustees;
    status_.threshold = reshare.threshold;
    status_.share_ready = reshare.share_ready;
    status_.sharing_reshare_epoch = reshare.sharing_reshare_epoch;
    status_.sharing_seat = reshare.sharing_seat;
    status_.reshare_epoch = reshare.reshare_epoch;
    status_.reshare_phase = reshare.reshare_phase;
    status_.reshare_new_seat = reshare.reshare_new_seat;
  }
  if (!reshare_due.ok()) {
    record_error(reshare_due.status());
  } else {
    post_due(std::move(reshare_due).value(), now);
  }
  const std::uint64_t tip = store_.tip().height;
  scan_blocks(tip);
  answer_requests();
  erase_superseded_keys();
  std::lock_guard<std::mutex> lock(mu_);
  status_.scanned_height = next_scan_height_ - 1;
  if (next_scan_height_ <= tip) woken_ = true;  // the rest of the chain at once, next turn
}

void TrusteeWorker::post_due(std::vector<TrusteeTx> due, std::chrono::steady_clock::time_point now) {
  for (TrusteeTx& tx : due) {
    last_dkg_post_ = now;
    std::lock_guard<std::mutex> lock(mu_);
    if (tx.label.rfind("dkg deal", 0) == 0) ++status_.deals_posted;
    else if (tx.label.rfind("reshare key", 0) == 0) ++status_.announcements_posted;
    else if (tx.label.rfind("reshare deal", 0) == 0) ++status_.reshare_deals_posted;
    else if (tx.label.find("reshare complaint") != std::string::npos) ++status_.reshare_complaints_posted;
    else ++status_.complaints_posted;
  }
  for (TrusteeTx& tx : due) post_tx(std::move(tx));
}

void TrusteeWorker::erase_superseded_keys() {
  // Every committed request up to here was answered or set aside, except those still waiting
  // and those answered but not yet seen on the chain.
  std::uint64_t answered_through = next_scan_height_ - 1;
  for (const PendingRequest& p : pending_) answered_through = std::min(answered_through, p.height - 1);
  for (const auto& [id, p] : posted_) answered_through = std::min(answered_through, p.height - 1);
  auto erased = duties_.erase_superseded_keys(answered_through);
  if (!erased.ok()) {
    record_error(erased.status().with_context("erasing superseded trustee keys"));
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  status_.key_files_erased += erased->size();
  status_.key_files_held = duties_.held_key_epochs();
}

void TrusteeWorker::scan_blocks(std::uint64_t tip) {
  const std::uint64_t last = std::min(tip, next_scan_height_ + kScanBlocksPerTurn - 1);
  for (; next_scan_height_ <= last; ++next_scan_height_) {
    auto block = store_.read_block(next_scan_height_);
    if (!block.ok()) {
      record_error(block.status());
      return;
    }
    for (const Bytes& encoded : block->transactions) {
      auto tx = chain::decode_transaction(encoded);
      if (!tx.ok()) continue;
      const auto* request = std::get_if<chain::AccessRequestTx>(&*tx);
      if (request == nullptr) continue;
      if (pending_.size() >= kMaxPendingRequests) {
        spdlog::warn("trustee {}: {} requests wait already; the oldest is dropped unanswered", duties_.index(),
                     pending_.size());
        pending_.pop_front();
        std::lock_guard<std::mutex> lock(mu_);
        ++status_.requests_skipped;
      }
      pending_.push_back(PendingRequest{chain::transaction_id(encoded), *request, next_scan_height_, {}});
    }
  }
}

void TrusteeWorker::answer_requests() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = posted_.begin(); it != posted_.end();) {  // answers posted long ago, not on the chain
    if (now - it->second.posted_at < kRepostAfter) {
      ++it;
      continue;
    }
    pending_.push_back(std::move(it->second));
    it = posted_.erase(it);
  }
  while (!pending_.empty()) {
    PendingRequest next = std::move(pending_.front());
    pending_.pop_front();
    bool skipped = false;
    auto answer = duties_.answer(next.request_id, next.request, next.height, skipped);
    if (!answer.ok()) {
      record_error(answer.status().with_context("request " + chain::digest_hex(next.request_id).substr(0, 16) + "..."));
      std::lock_guard<std::mutex> lock(mu_);
      ++status_.requests_skipped;
      continue;
    }
    if (skipped) {
      std::lock_guard<std::mutex> lock(mu_);
      ++status_.requests_skipped;
    }
    if (!answer->has_value()) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++status_.requests_answered;
    }
    next.posted_at = now;
    posted_[next.request_id] = next;
    post_tx(std::move(**answer));
  }
}

void TrusteeWorker::post_tx(TrusteeTx tx) {
  spdlog::info("trustee {}: posting {}", duties_.index(), tx.label);
  post_(std::move(tx));
}

// Logged when it changes: a lasting condition (say a dealer that wronged this trustee) is
// met again at every turn and must not fill the log.
void TrusteeWorker::record_error(const Status& why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (status_.last_error == why.message()) return;
  spdlog::warn("trustee {}: {}", duties_.index(), why.message());
  status_.last_error = why.message();
}

}  // namespace hc::node
