# Precompiled headers, for build time: the heavy header-only dependencies (nlohmann-json,
# GoogleTest, CLI11, Boost.Asio/Beast) are parsed once per build instead of once per file.
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

# For every test program (hc_add_test, tests/CMakeLists.txt).
if(HC_PCH AND HC_BUILD_TESTS)
  add_library(hc_pch_test OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/anchor.cpp)
  target_link_libraries(hc_pch_test PRIVATE GTest::gtest nlohmann_json::nlohmann_json hc_warnings)
  target_precompile_headers(hc_pch_test PRIVATE <gtest/gtest.h> ${HC_PCH_LIBRARY_HEADERS})
endif()

function(hc_use_test_pch target)
  if(HC_PCH AND HC_BUILD_TESTS)
    target_precompile_headers(${target} REUSE_FROM hc_pch_test)
  endif()
endfunction()
