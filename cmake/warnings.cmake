# Warning flags for the project's own code only (never for dependencies' headers, which
# are included as SYSTEM by their imported targets).
add_library(hc_warnings INTERFACE)
target_compile_options(hc_warnings INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
  -Wcast-align -Woverloaded-virtual)

# hc_add_library(NAME SOURCES... [DEPS ...]): a project library with our warnings.
function(hc_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE hc_warnings)
endfunction()
