// Free TCP ports on 127.0.0.1 for a local cluster. A port is "free" if it can be bound now;
// another process may still take it before the node binds it (the node then fails to start
// and `hc cluster up` reports its log). Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"

namespace hc::cli {

// `count` distinct ports. With base_port = 0, random bindable ports between 20000 and the start
// of the kernel's ephemeral range (so no outgoing connection's source port can take one; every
// socket is held open until all are chosen, so they differ); otherwise the first bindable ports
// from base_port upward. kUnavailable if not enough ports can be found.
Result<std::vector<std::uint16_t>> pick_free_ports(std::size_t count, std::uint16_t base_port);

}  // namespace hc::cli
