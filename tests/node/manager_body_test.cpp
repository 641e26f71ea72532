// The unauthenticated manager route's body (POST /v1/manager/transactions): exactly
// {"transaction": "<base64>"}, recognised by a linear scan before any decoding, so a large
// body of another shape costs the node only its reading (issue 12, item 5; ApiFlood).
#include <gtest/gtest.h>

#include <string>

#include "node/node_state.h"

namespace hc::node {
namespace {

bool refused_for_shape(const std::string& body) {
  auto tx = manager_tx_from_body(body);
  return !tx.ok() && tx.status().message().find("body must be exactly") != std::string::npos;
}

TEST(ManagerBody, TheOneShapeReachesTheTransactionDecoder) {
  // "AAAA" is valid base64 of three zero bytes: the shape passes, the decoder refuses.
  for (const std::string body : {"{\"transaction\":\"AAAA\"}", " {\n\t\"transaction\" : \"AAAA\" }\r\n"}) {
    auto tx = manager_tx_from_body(body);
    ASSERT_FALSE(tx.ok()) << body;
    EXPECT_FALSE(refused_for_shape(body)) << body << ": " << tx.status().to_string();
  }
}

TEST(ManagerBody, AnyOtherShapeIsRefusedBeforeDecoding) {
  for (const std::string body :
       {"", "{}", "not json", "{\"transaction\": 7}", "{\"transaction\":\"AAAA\",\"extra\":1}",
        "{\"extra\":1,\"transaction\":\"AAAA\"}", "{\"transaction\":\"AA\\/AA\"}", "{\"transaction\":\"%%%\"}",
        "{\"transaction\":\"AAAA\"", "{\"transaction\":\"AAAA\"}}", "[{\"transaction\":\"AAAA\"}]",
        "{\"Transaction\":\"AAAA\"}"}) {
    EXPECT_TRUE(refused_for_shape(body)) << body;
  }
}

TEST(ManagerBody, AStrayFieldIsNamed) {
  for (const std::string body : {"{\"signed_by\":\"admin\",\"transaction\":\"AAAA\"}",
                                 "{ \"transaction\": \"AAAA\" , \"signed_by\": 1}"}) {
    auto tx = manager_tx_from_body(body);
    ASSERT_FALSE(tx.ok());
    EXPECT_NE(tx.status().message().find("unknown field \"signed_by\""), std::string::npos) << tx.status().to_string();
  }
}

TEST(ManagerBody, AWideTwoMebibyteBodyIsRefusedByShape) {
  std::string wide = "{\"transaction\":\"AAAA\",\"pad\":[";
  while (wide.size() < 2 * 1024 * 1024) wide += "1,";
  wide += "1]}";
  EXPECT_TRUE(refused_for_shape(wide));
}

}  // namespace
}  // namespace hc::node
