// `hc chain ...`: operator commands on a replica's ledger data directory.
//   hc chain verify --data DIR   recomputes hash links, Merkle roots, app hashes, commit
//                                certificates, manager signatures, (BBS04) group signatures and
//                                the epoch of every record of every stored block and prints the
//                                first bad block and what is wrong. DIR is the ledger's RocksDB
//                                directory or a node's data_dir (its `ledger` subdirectory). The
//                                store is opened read-only (nothing is written into DIR, a
//                                running node's store can be checked, a damaged or truncated
//                                write-ahead log is damage: exit 1).
//   hc chain restore-change-proofs --data DIR   (the node stopped) verifies the chain the same
//                                way and writes the proof of each membership change that a
//                                ledger written before they were kept lacks, from the replay
//                                (docs/ledger.md, "Membership change proofs").
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "chain/ledger_store.h"
#include "cli/commands.h"
#include "cli/ledger_snapshot.h"
#include "node/ledger_bridge.h"

namespace hc::cli {

namespace {

Status run_chain_verify(const std::string& data_dir) {
  const std::string dir = ledger_directory(data_dir);
  auto opened = open_ledger_snapshot(dir);
  if (!opened.ok() && opened.status().code() == ErrorCode::kCorrupt) {
    std::printf("FIRST BAD: store: %s\n", opened.status().message().c_str());
    return report_rejected(opened.status().with_context("chain verification failed: " + dir));
  }
  HC_ASSIGN_OR_RETURN(auto store, std::move(opened));
  // Every node stores the PBFT engine's commit certificate with each block.
  HC_ASSIGN_OR_RETURN(auto certificates, node::PbftCertificateVerifier::create(store->genesis()));
  // Group signatures are checked when the genesis holds a BBS04 group public key; otherwise
  // the report says they were not checked, and why.
  auto group = chain::Bbs04RecordVerifier::create(store->genesis().group_public_key);
  HC_ASSIGN_OR_RETURN(chain::ChainReport report,
                      chain::verify_chain(*store, *certificates, group.ok() ? group->get() : nullptr));
  std::printf("chain %s, genesis %s, tip height %llu\n", store->genesis().chain_name.c_str(),
              chain::digest_hex(store->genesis_hash()).c_str(),
              static_cast<unsigned long long>(report.tip_height));
  std::printf("checked %llu blocks, %llu transactions, %llu manager signatures\n",
              static_cast<unsigned long long>(report.blocks_checked),
              static_cast<unsigned long long>(report.transactions_checked),
              static_cast<unsigned long long>(report.manager_signatures_checked));
  if (report.group_signatures_skipped) {
    std::printf("group signatures: not checked (genesis group key unusable: %s)\n",
                group.status().message().c_str());
  } else {
    std::printf("group signatures: %llu checked",
                static_cast<unsigned long long>(report.group_signatures_checked));
    if (report.group_signatures_checked > 0) {
      const double ms = std::chrono::duration<double, std::milli>(report.group_signature_time).count();
      std::printf(" in %.1f s of CPU, %.3f ms each (one thread, each block's records together)", ms / 1000.0,
                  ms / static_cast<double>(report.group_signatures_checked));
    }
    std::printf("\n");
  }
  if (report.first_fault) {
    const chain::ChainFault& f = *report.first_fault;
    std::string where = f.height == 0 ? "metadata" : "block " + std::to_string(f.height);
    std::printf("FIRST BAD: %s: %s\n", where.c_str(), f.what.c_str());
    return report_rejected(Status::error(ErrorCode::kCorrupt, "chain verification failed at " + where + ": " + f.what));
  }
  std::printf("chain OK\n");
  return Status();
}

// The node must be stopped: the store is opened for writing (RocksDB refuses a second writer).
Status run_restore_change_proofs(const std::string& data_dir) {
  const std::string dir = ledger_directory(data_dir);
  auto opened = chain::LedgerStore::open(dir);
  if (!opened.ok()) return opened.status().with_context("open " + dir + " for writing (stop its node first)");
  auto& store = *opened;
  HC_ASSIGN_OR_RETURN(auto certificates, node::PbftCertificateVerifier::create(store->genesis()));
  HC_ASSIGN_OR_RETURN(chain::ChainReport report, chain::verify_chain(*store, *certificates, nullptr));
  if (report.first_fault) {
    return report_rejected(Status::error(ErrorCode::kCorrupt, "the chain does not verify at block " +
                                                                  std::to_string(report.first_fault->height) + ": " +
                                                                  report.first_fault->what));
  }
  std::size_t restored = 0;
  for (const auto& [height, encoded] : report.membership_change_states) {
    HC_ASSIGN_OR_RETURN(auto kept, store->membership_change_state(height));
    if (kept) continue;
    if (height + 1 > report.tip_height) continue;  // checked against block h + 1: once it is committed
    HC_RETURN_IF_ERROR(store->restore_membership_change_state(height, encoded));
    ++restored;
  }
  std::printf("%zu membership changes, %zu change proofs restored\n", report.membership_change_states.size(), restored);
  return Status();
}

}  // namespace

void register_chain_commands(CLI::App& app) {
  CLI::App* chain = app.add_subcommand("chain", "Inspect and verify a replica's ledger");
  chain->require_subcommand(1);
  CLI::App* verify = chain->add_subcommand("verify", "Recompute and check every stored block");
  auto data_dir = std::make_shared<std::string>();
  verify->add_option("--data", *data_dir,
                     "A node's data directory or its ledger database (data_dir/ledger); opened "
                     "read-only, nothing is written")
      ->required();
  run_with(verify, [data_dir]() { return run_chain_verify(*data_dir); });
  CLI::App* restore = chain->add_subcommand(
      "restore-change-proofs",
      "Write the membership change proofs a ledger from before they were kept lacks (stop the node first)");
  auto restore_dir = std::make_shared<std::string>();
  restore->add_option("--data", *restore_dir, "A node's data directory or its ledger database (data_dir/ledger)")
      ->required();
  run_with(restore, [restore_dir]() { return run_restore_change_proofs(*restore_dir); });
}

}  // namespace hc::cli
