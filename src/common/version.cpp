#include "common/version.h"

#ifndef HC_VERSION
#error "HC_VERSION is set by src/common/CMakeLists.txt from the project's VERSION"
#endif

namespace hc {

const char* software_version() { return HC_VERSION; }

std::string version_line(const std::string& program) { return program + " " + software_version(); }

}  // namespace hc
