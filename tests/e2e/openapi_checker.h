// The API's OpenAPI document (docs/openapi.json) as a test oracle: which operations it
// declares, and whether one real response (status, content type, headers, body) is one the
// document allows. Bodies are checked with a small JSON Schema validator for exactly the
// subset the document uses: $ref (local "#/..."), type, required, properties,
// additionalProperties (boolean), items, enum and pattern (ECMAScript regex). A keyword outside
// that subset is reported as an error, so the document cannot silently outgrow the checker.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "common/status.h"

namespace hc::e2e {

// Ok when `value` satisfies `schema`; otherwise names the first mismatch and where it is
// ("$.peers[0].id: ..."). `root` is the document $ref pointers are resolved in.
Status validate_json_schema(const nlohmann::json& schema, const nlohmann::json& value, const nlohmann::json& root);

class OpenApiDocument {
 public:
  static Result<OpenApiDocument> load(const std::filesystem::path& file);

  // Every (path template, METHOD) the document declares, e.g. ("/v1/tx/{tx_id}", "GET").
  std::set<std::pair<std::string, std::string>> operations() const;

  // Ok when the operation declares `status`, the response's media type matches the declared
  // one, every declared required header is present (names compared in lower case) and a JSON
  // body validates against the declared schema.
  Status check_response(const std::string& path_template, const std::string& method, int status,
                        const std::string& content_type, const std::map<std::string, std::string>& headers,
                        const std::string& body) const;

  const nlohmann::json& document() const { return doc_; }

 private:
  nlohmann::json doc_;
};

}  // namespace hc::e2e
