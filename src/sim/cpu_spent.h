// CpuSpent: where a simulated replica's virtual CPU time went, by kind of work, and how long
// its outgoing link was busy sending (the simulator charges sending to the link's bandwidth,
// not to the CPU). The counters behind the projection's explanation of its knee. Plain values.
#pragma once

namespace hc::sim {

struct CpuSpent {
  double group_verify_us = 0;  // group-signature verification (per transaction or per block)
  double sign_us = 0;          // Ed25519 signing of protocol messages
  double verify_us = 0;        // Ed25519 verification of protocol messages
  double other_us = 0;         // the fixed cost per event and the per-byte cost of received messages
  double send_us = 0;          // the outgoing link busy serializing this replica's messages

  double cpu_us() const { return group_verify_us + sign_us + verify_us + other_us; }
  CpuSpent& operator+=(const CpuSpent& o) {
    group_verify_us += o.group_verify_us;
    sign_us += o.sign_us;
    verify_us += o.verify_us;
    other_us += o.other_us;
    send_us += o.send_us;
    return *this;
  }
};

}  // namespace hc::sim
