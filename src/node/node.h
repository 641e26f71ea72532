// Node: one hospital's replica, assembled. It loads the config, keys and genesis, opens (or
// creates) the ledger, replays the consensus write-ahead log, connects to its peers, serves
// the HTTP API and runs until SIGTERM/SIGINT or stop(), then shuts down cleanly; SIGHUP calls
// the reload handler, if one is set (hc-node re-reads its log level file). On restart it
// resumes from the store; if it is behind, the engine's state transfer fetches the missing
// blocks with their commit certificates from peers.
//
// Threading: run() drives the consensus io_context on the calling thread (transport, engine,
// ledger application); the HTTP API runs on a thread of its own (api_thread.h) and reaches
// consensus only through a bounded queue (tx_intake.h); the ledger verifies blocks on its own
// pool. run() joins the API thread before it returns. stop() is thread-safe.
#pragma once

#include <functional>
#include <memory>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "node/config.h"

namespace hc::node {

class Node {
 public:
  // Everything that can fail at startup fails here, with a clear reason. kAlreadyExists means
  // only that a port the node listens on (peer or API) is held by another socket (hc-node's
  // exit code kExitPortInUse); kIo and kCorrupt are local failures; anything else is a bad
  // config, key or genesis.
  static Result<std::unique_ptr<Node>> open(const NodeConfig& config, const SecureBytes& passphrase);
  ~Node();

  // Runs until stopped. Returns ok after a clean stop, or the local failure that stopped it.
  Status run();
  void stop();
  // Called on the consensus thread at every SIGHUP while run() runs. Set before run().
  void set_reload_handler(std::function<void()> on_sighup);

  std::uint16_t api_port() const;
  std::uint16_t listen_port() const;

  struct State;

 private:
  explicit Node(std::unique_ptr<State> state);
  void wait_for_reload();
  std::unique_ptr<State> state_;
  std::function<void()> reload_;
};

}  // namespace hc::node
