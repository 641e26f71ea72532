# Precompiled headers, for build time: the heavy header-only dependencies (nlohmann-json and
# the common standard headers for every library, CLI11 for hc) are parsed once per build
# instead of once per file. Test programs do not use one: with it, GCC 12 reports false
# -Warray-bounds / -Wstringop-overflow errors inside std::string in several tests.
# Each precompiled header is built by a small OBJECT target and reused by every target of its
# kind (REUSE_FROM), so all of them are compiled with the same flags. HC_PCH=OFF turns it off
# (for a compiler or tool that mishandles precompiled headers).
option(HC_PCH "Use precompiled headers for the heavy third-party headers" ON)

set(HC_PCH_LIBRARY_HEADERS <nlohmann/json.hpp> <string> <vector> <map> <memory>
    <optional> <functional> <filesystem> <algorithm>)

if(HC_PCH)
  # For every project library (hc_add_library).
  add_library(hc_pch_library OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/anchor.cpp)
  target_link_libraries(hc_pch_library PRIVATE nlohmann_json::nlohmann_json hc_warnings)
  target_precompile_headers(hc_pch_library PRIVATE ${HC_PCH_LIBRARY_HEADERS})
endif()

# Gives `target` the library precompiled header.
function(hc_use_library_pch target)
  if(HC_PCH)
    target_precompile_headers(${target} REUSE_FROM hc_pch_library)
  endif()
endfunction()
