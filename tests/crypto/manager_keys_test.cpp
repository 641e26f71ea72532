#include "crypto/manager_keys.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "crypto/sealed_record.h"
#include "support/temp_dir.h"

namespace hc::crypto {
namespace {

TEST(ManagerKeysTest, InitRotateAndPickKeyById) {
  test::TempDir tmp;
  auto dir = tmp / "mgr";
  ASSERT_TRUE(ManagerKeys::init(dir).ok());
  EXPECT_EQ(ManagerKeys::init(dir).code(), ErrorCode::kAlreadyExists);
  auto keys = ManagerKeys::open(dir);
  ASSERT_TRUE(keys.ok());
  EXPECT_FALSE(keys->current_key_id().has_value());
  EXPECT_TRUE(load_pseudonym_key(keys->pseudonym_key_path()).ok());

  SecureBytes pass(std::string_view("manager-passphrase"));
  auto first = keys->rotate(pass);
  auto second = keys->rotate(pass);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);

  auto reopened = ManagerKeys::open(dir);
  ASSERT_TRUE(reopened.ok());
  ASSERT_EQ(reopened->keys().size(), 2u);
  EXPECT_EQ(reopened->current_key_id(), *second);
  auto current_pub = EnvelopePublicKey::load(reopened->current_public_key_path());
  ASSERT_TRUE(current_pub.ok());
  EXPECT_EQ(current_pub->key_id(), *second);

  // A record sealed yesterday (first key) opens with the key its id names.
  auto yesterday_pub = reopened->public_key(*first);
  ASSERT_TRUE(yesterday_pub.ok());
  auto visit = make_visit("2026-11-23T10:00:00Z", "Sprained ankle", std::nullopt);
  auto rec = seal_record(*visit, SerialNumber{}, *yesterday_pub);
  ASSERT_TRUE(rec.ok());
  PrivateKeyLookup lookup = [&](const KeyId& id) { return reopened->private_key(id, pass); };
  auto opened = open_record(*rec, lookup);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->diagnosis, "Sprained ankle");

  KeyId unknown{};
  EXPECT_EQ(reopened->private_key(unknown, pass).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(reopened->private_key(*first, SecureBytes(std::string_view("wrong-passphrase"))).status().code(),
            ErrorCode::kAuthFailed);
}

TEST(ManagerKeysTest, RefusesShortPassphraseAndBadDirectories) {
  test::TempDir tmp;
  ASSERT_TRUE(ManagerKeys::init(tmp / "m").ok());
  auto keys = ManagerKeys::open(tmp / "m");
  ASSERT_TRUE(keys.ok());
  EXPECT_FALSE(keys->rotate(SecureBytes(std::string_view("short"))).ok());
  EXPECT_TRUE(keys->keys().empty());
  EXPECT_EQ(ManagerKeys::open(tmp / "nope").status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(write_text_file_atomic(tmp / "m" / "manager.json", "{\"format\":\"x\"}").ok());
  EXPECT_EQ(ManagerKeys::open(tmp / "m").status().code(), ErrorCode::kCorrupt);
  // A manager.json nested deeper than the JSON bound is refused before it is parsed.
  ASSERT_TRUE(write_text_file_atomic(tmp / "m" / "manager.json",
                                     std::string(100000, '[') + std::string(100000, ']')).ok());
  auto deep = ManagerKeys::open(tmp / "m");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), ErrorCode::kCorrupt);
  EXPECT_NE(deep.status().message().find("nests deeper than 64 levels"), std::string::npos);
}

}  // namespace
}  // namespace hc::crypto
