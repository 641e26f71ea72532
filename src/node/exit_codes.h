// hc-node's exit codes. `hc cluster up` reads them: a node that exits with kExitPortInUse lost
// one of its ports to another process between the pick and its bind, and the local cluster is
// moved to new ports (src/cli/cluster_port_retry.h); any other code is a failure to report.
#pragma once

namespace hc::node {

inline constexpr int kExitClean = 0;         // stopped cleanly, or --version / --help
inline constexpr int kExitBadConfig = 2;     // bad usage, configuration, keys or genesis
inline constexpr int kExitLocalFailure = 3;  // a local failure (I/O, a corrupt store, at run time)
inline constexpr int kExitPortInUse = 4;     // a port it listens on (peer or API) is held by another socket

}  // namespace hc::node
