// See openapi_checker.h.
#include "e2e/openapi_checker.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "common/file_io.h"

namespace hc::e2e {

namespace {

using nlohmann::json;

Status openapi_mismatch(const std::string& where, const std::string& what) {
  return Status::error(ErrorCode::kInvalidInput, where + ": " + what);
}

bool openapi_type_matches(const std::string& type, const json& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "null") return v.is_null();
  return false;
}

// Resolves a local reference such as "#/components/schemas/Error".
Result<const json*> openapi_resolve(const json& root, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return openapi_mismatch(ref, "only local references are supported");
  try {
    return &root.at(json::json_pointer(ref.substr(1)));
  } catch (const json::exception&) {
    return openapi_mismatch(ref, "reference names nothing in the document");
  }
}

Status openapi_validate_at(const json& schema, const json& v, const json& root, const std::string& where, int depth) {
  if (depth > 64) return openapi_mismatch(where, "schema references nest too deeply");
  if (!schema.is_object()) return openapi_mismatch(where, "schema is not an object");
  static const std::set<std::string> kKnown = {"$ref", "type", "required", "properties", "additionalProperties",
                                               "items", "enum", "pattern", "description"};
  for (const auto& [key, unused] : schema.items()) {
    if (!kKnown.count(key)) return openapi_mismatch(where, "schema keyword '" + key + "' is outside the checker's subset");
  }
  if (schema.contains("$ref")) {
    HC_ASSIGN_OR_RETURN(const json* target, openapi_resolve(root, schema["$ref"].get<std::string>()));
    return openapi_validate_at(*target, v, root, where, depth + 1);
  }
  if (schema.contains("type")) {
    const std::string type = schema["type"].get<std::string>();
    if (!openapi_type_matches(type, v)) return openapi_mismatch(where, "expected " + type + ", got " + v.type_name());
  }
  if (schema.contains("enum")) {
    const json& options = schema["enum"];
    if (std::find(options.begin(), options.end(), v) == options.end()) {
      return openapi_mismatch(where, v.dump() + " is not one of " + options.dump());
    }
  }
  if (schema.contains("pattern") && v.is_string()) {
    std::regex re(schema["pattern"].get<std::string>(), std::regex::ECMAScript);
    if (!std::regex_search(v.get<std::string>(), re)) {
      return openapi_mismatch(where, "\"" + v.get<std::string>().substr(0, 80) + "\" does not match " +
                                         schema["pattern"].get<std::string>());
    }
  }
  if (v.is_object()) {
    if (schema.contains("required")) {
      for (const json& name : schema["required"]) {
        if (!v.contains(name.get<std::string>())) return openapi_mismatch(where, "missing required field " + name.dump());
      }
    }
    const json empty = json::object();
    const json& props = schema.contains("properties") ? schema["properties"] : empty;
    const bool extra_allowed = schema.value("additionalProperties", true);
    for (const auto& [key, value] : v.items()) {
      if (props.contains(key)) {
        HC_RETURN_IF_ERROR(openapi_validate_at(props[key], value, root, where + "." + key, depth + 1));
      } else if (!extra_allowed) {
        return openapi_mismatch(where, "field \"" + key + "\" is not declared");
      }
    }
  }
  if (v.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      HC_RETURN_IF_ERROR(
          openapi_validate_at(schema["items"], v[i], root, where + "[" + std::to_string(i) + "]", depth + 1));
    }
  }
  return Status::ok_status();
}

std::string openapi_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "application/json; charset=utf-8" -> "application/json".
std::string openapi_media_type(const std::string& content_type) {
  return openapi_lower(content_type.substr(0, content_type.find(';')));
}

}  // namespace

Status validate_json_schema(const nlohmann::json& schema, const nlohmann::json& value, const nlohmann::json& root) {
  return openapi_validate_at(schema, value, root, "$", 0);
}

Result<OpenApiDocument> OpenApiDocument::load(const std::filesystem::path& file) {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(file, 1 << 20));
  OpenApiDocument out;
  out.doc_ = json::parse(text, nullptr, false);
  if (out.doc_.is_discarded() || !out.doc_.is_object() || !out.doc_.contains("paths")) {
    return Status::error(ErrorCode::kInvalidInput, file.string() + " is not an OpenAPI document");
  }
  if (out.doc_.value("openapi", std::string()).rfind("3.1", 0) != 0) {
    return Status::error(ErrorCode::kInvalidInput, file.string() + " is not OpenAPI 3.1");
  }
  return out;
}

std::set<std::pair<std::string, std::string>> OpenApiDocument::operations() const {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, unused] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert({path, upper});
    }
  }
  return out;
}

Status OpenApiDocument::check_response(const std::string& path_template, const std::string& method, int status,
                                       const std::string& content_type,
                                       const std::map<std::string, std::string>& headers,
                                       const std::string& body) const {
  const std::string where = method + " " + path_template + " " + std::to_string(status);
  const json& paths = doc_["paths"];
  const std::string key = openapi_lower(method);
  if (!paths.contains(path_template) || !paths[path_template].contains(key)) {
    return openapi_mismatch(where, "operation not in the document");
  }
  const json& responses = paths[path_template][key]["responses"];
  const std::string code = std::to_string(status);
  if (!responses.contains(code)) return openapi_mismatch(where, "status not declared for this operation");
  const json& declared = responses[code];
  if (declared.contains("headers")) {
    for (const auto& [name, header] : declared["headers"].items()) {
      if (header.value("required", false) && !headers.count(openapi_lower(name))) {
        return openapi_mismatch(where, "required header " + name + " missing");
      }
    }
  }
  if (!declared.contains("content")) return body.empty() ? Status::ok_status() : openapi_mismatch(where, "unexpected body");
  const std::string media = openapi_media_type(content_type);
  if (!declared["content"].contains(media)) return openapi_mismatch(where, "media type " + media + " not declared");
  if (media != "application/json") return Status::ok_status();
  json value = json::parse(body, nullptr, false);
  if (value.is_discarded()) return openapi_mismatch(where, "body is not JSON: " + body.substr(0, 80));
  Status valid = validate_json_schema(declared["content"][media]["schema"], value, doc_);
  if (!valid.ok()) return openapi_mismatch(where, valid.message());
  return Status::ok_status();
}

}  // namespace hc::e2e
