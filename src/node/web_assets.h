// The static files of the node's web pages (issue 17; docs/web.md), embedded into hc-node at
// build time: cmake/embed_web_files.cmake turns each file under web/ into a byte array of the
// generated source web_assets.cpp (in the build directory). Nothing is read from disk at run
// time, so the pages a node serves are exactly those of its build. Immutable; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hc::node {

struct WebAsset {
  std::string_view path;          // "/doctor/index.html": the URL path it is served at
  std::string_view content_type;  // from the file's extension
  std::string_view sha256_hex;    // of the content (the ETag)
  std::span<const std::uint8_t> content;
};

// Every embedded file, in the order of src/node/CMakeLists.txt.
std::span<const WebAsset> web_assets();

}  // namespace hc::node
