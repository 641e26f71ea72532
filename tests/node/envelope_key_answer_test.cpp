// GET /v1/envelope-key's answer is built once per publication (review finding, issue 15):
// 404 before any key, the key with its publication after one, the same prepared answer
// (not rebuilt) while the current key stays, a new one when the manager publishes another.
#include "node/envelope_key_answer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "chain/healthchain_app.h"
#include "chain/test_chain.h"

namespace hc::node {
namespace {

using chain::testing::TestConsortium;

class EnvelopeKeyAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::move(chain::LedgerStore::create(dir.path(), c.genesis())).value();
    auto a = chain::HealthchainApp::start(*store, c.group(), c.certificates());
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    app = std::move(a).value();
  }
  void commit(std::vector<Bytes> txs) {
    ASSERT_TRUE(app->commit_block(c.make_block(store->tip(), std::move(txs))).ok());
  }
  static nlohmann::json body_of(const EnvelopeKeyAnswer& answer) { return nlohmann::json::parse(answer.body); }

  chain::testing::TempDir dir{"envelope-key-answer"};
  TestConsortium c;
  std::unique_ptr<chain::LedgerStore> store;
  std::unique_ptr<chain::HealthchainApp> app;
  EnvelopeKeyAnswerBuilder builder;
};

TEST_F(EnvelopeKeyAnswerTest, BuiltOncePerPublication) {
  auto none = builder.current(*store);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);

  commit({c.publish_key_tx(chain::testing::test_envelope_spki())});
  auto first = builder.current(*store);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(body_of(*first).at("key_id"), to_hex(chain::key_id_of(chain::testing::test_envelope_spki())));
  EXPECT_EQ(body_of(*first).at("height"), 1);
  EXPECT_EQ(body_of(*first).at("publication").at("height"), 1);

  commit({c.encode_signed_record(c.serial_of(1), 0)});
  commit({c.enrollment_tx("hospital-a")});
  EXPECT_EQ(builder.current(*store), first);  // the same prepared answer, not rebuilt

  commit({c.publish_key_tx(chain::testing::other_envelope_spki())});
  auto second = builder.current(*store);
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_NE(second, first);
  EXPECT_EQ(body_of(*second).at("key_id"), to_hex(chain::key_id_of(chain::testing::other_envelope_spki())));
  EXPECT_EQ(body_of(*second).at("height"), 4);
  EXPECT_EQ(builder.current(*store), second);
}

}  // namespace
}  // namespace hc::node
