// The software version of Healthchain's programs (hc, hc-node, hc-sim) and of the node's API
// status: one value, the CMake project's VERSION, set in one place. Thread-safe (a constant).
#pragma once

#include <string>

namespace hc {

// "MAJOR.MINOR.PATCH", e.g. "0.1.0".
const char* software_version();

// "<program> <version>", what each program's --version prints.
std::string version_line(const std::string& program);

}  // namespace hc
