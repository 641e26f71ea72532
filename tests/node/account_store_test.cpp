#include "node/account_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/file_io.h"
#include "crypto/hash.h"
#include "node/token_auth.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

std::string bearer(const SecureBytes& token) { return "Bearer " + std::string(token.view()); }

std::string file_text(const std::filesystem::path& file) {
  auto text = read_text_file(file, kMaxAccountFileBytes * 2);
  return text.ok() ? *text : std::string();
}

TEST(AccountStoreTest, AddListRemoveRotateSurviveReopen) {
  test::TempDir dir;
  const auto file = dir / "accounts.json";
  {
    auto store = AccountStore::open(file);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    EXPECT_TRUE(store->accounts().empty());
    ASSERT_TRUE(store->add("dr.ada", AccountRole::kDoctor).ok());
    ASSERT_TRUE(store->add("rita", AccountRole::kReader).ok());
    ASSERT_TRUE(store->add("dr.bob", AccountRole::kDoctor).ok());
    ASSERT_TRUE(store->remove("dr.bob").ok());
  }
  auto reopened = AccountStore::open(file);
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  ASSERT_EQ(reopened->accounts().size(), 2u);
  EXPECT_EQ(reopened->accounts()[0].name, "dr.ada");
  EXPECT_EQ(reopened->accounts()[0].role, AccountRole::kDoctor);
  EXPECT_EQ(reopened->accounts()[1].name, "rita");
  EXPECT_EQ(reopened->accounts()[1].role, AccountRole::kReader);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AccountStoreTest, FileHoldsOnlyHashesNeverTheToken) {
  test::TempDir dir;
  auto store = AccountStore::open(dir / "accounts.json");
  ASSERT_TRUE(store.ok());
  auto token = store->add("dr.ada", AccountRole::kDoctor);
  ASSERT_TRUE(token.ok());
  auto rotated = store->rotate("dr.ada");
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(token->size(), 2 * kAccountTokenRandomBytes);  // 256 random bits as hex
  EXPECT_NE(token->view(), rotated->view());
  const std::string text = file_text(dir / "accounts.json");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find(token->view()), std::string::npos);
  EXPECT_EQ(text.find(rotated->view()), std::string::npos);
  EXPECT_NE(text.find(to_hex(crypto::sha256(rotated->span()))), std::string::npos);
}

TEST(AccountStoreTest, NamesAreValidated) {
  EXPECT_TRUE(check_account_name("dr.ada-lovelace_2@st-mary").ok());
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("-ada"), std::string("ada lovelace"),
                                std::string("ada\n"), std::string("ad\xc3\xa9"), std::string("a/b")}) {
    Status s = check_account_name(bad);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_EQ(s.message().find('\n'), std::string::npos);
  }
  EXPECT_TRUE(check_account_name(std::string(64, 'a')).ok());
  test::TempDir dir;
  auto store = AccountStore::open(dir / "accounts.json");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->add("bad name", AccountRole::kDoctor).status().code(), ErrorCode::kInvalidInput);
  ASSERT_TRUE(store->add("ada", AccountRole::kDoctor).ok());
  EXPECT_EQ(store->add("ada", AccountRole::kReader).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store->remove("nobody").code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->rotate("nobody").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(parse_account_role("admin").status().code(), ErrorCode::kInvalidInput);
}

TEST(AccountStoreTest, CorruptOrOversizedFileRefusedAtOpen) {
  test::TempDir dir;
  const auto file = dir / "accounts.json";
  const std::string good_hash(64, 'a');
  const std::vector<std::string> corrupt = {
      "{\"format\": \"healthchain-accounts\", \"version\": 1, \"accounts\": [",  // cut short
      "{\"format\": \"other\", \"version\": 1, \"accounts\": []}",
      "{\"format\": \"healthchain-accounts\", \"version\": 2, \"accounts\": []}",
      "{\"format\": \"healthchain-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"a b\", \"role\": "
      "\"doctor\", \"token_sha256\": \"" + good_hash + "\"}]}",
      "{\"format\": \"healthchain-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"ab\", \"role\": "
      "\"doctor\", \"token_sha256\": \"abcd\"}]}",
      "{\"format\": \"healthchain-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"ab\", \"role\": "
      "\"doctor\", \"token_sha256\": \"" + good_hash + "\"}, {\"name\": \"ab\", \"role\": \"reader\", "
      "\"token_sha256\": \"" + good_hash + "\"}]}",
  };
  for (const std::string& text : corrupt) {
    ASSERT_TRUE(write_text_file_atomic(file, text).ok());
    auto store = AccountStore::open(file);
    ASSERT_FALSE(store.ok()) << text;
    EXPECT_NE(store.status().message().find(file.string()), std::string::npos) << store.status().message();
  }
  ASSERT_TRUE(write_text_file_atomic(file, std::string(kMaxAccountFileBytes + 1, ' ')).ok());
  auto oversized = AccountStore::open(file);
  ASSERT_FALSE(oversized.ok());
  EXPECT_EQ(oversized.status().code(), ErrorCode::kTooLarge);
  // More accounts than the bound, in a file under the byte bound.
  std::vector<Account> many(kMaxAccounts + 1);
  for (std::size_t i = 0; i < many.size(); ++i) many[i].name = "a" + std::to_string(i);
  ASSERT_TRUE(write_text_file_atomic(file, accounts_to_json(many)).ok());
  EXPECT_EQ(AccountStore::open(file).status().code(), ErrorCode::kTooLarge);
}

TEST(AccountStoreTest, StoreIsBoundedInCount) {
  test::TempDir dir;
  const auto file = dir / "accounts.json";
  std::vector<Account> full(kMaxAccounts);
  for (std::size_t i = 0; i < full.size(); ++i) full[i].name = "a" + std::to_string(i);
  ASSERT_TRUE(write_text_file_atomic(file, accounts_to_json(full)).ok());
  auto store = AccountStore::open(file);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  EXPECT_EQ(store->add("one-more", AccountRole::kDoctor).status().code(), ErrorCode::kTooLarge);
}

// A change that cannot be written changes nothing in memory either.
TEST(AccountStoreTest, FailedWriteChangesNothing) {
  test::TempDir dir;
  const auto sub = dir / "sub";
  std::filesystem::create_directories(sub);
  auto store = AccountStore::open(sub / "accounts.json");
  ASSERT_TRUE(store.ok());
  auto token = store->add("ada", AccountRole::kDoctor);
  ASSERT_TRUE(token.ok());
  std::filesystem::remove_all(sub);  // the directory is gone: every write fails
  EXPECT_FALSE(store->remove("ada").ok());
  EXPECT_FALSE(store->rotate("ada").ok());
  EXPECT_FALSE(store->add("bob", AccountRole::kDoctor).ok());
  ASSERT_EQ(store->accounts().size(), 1u);
  EXPECT_TRUE(store->find_by_token_hash(crypto::sha256(token->span())).has_value());
}

TEST(AccountStoreTest, AuthenticatorSeesChangesAtOnce) {
  test::TempDir dir;
  auto store = AccountStore::open(dir / "accounts.json");
  ASSERT_TRUE(store.ok());
  TokenAuthenticator doctors({}, 60, &*store, AccountRole::kDoctor);
  TokenAuthenticator readers({}, 60, &*store, AccountRole::kReader);
  auto ada = store->add("ada", AccountRole::kDoctor);
  ASSERT_TRUE(ada.ok());
  EXPECT_EQ(doctors.authenticate(bearer(*ada)), "ada");
  EXPECT_EQ(readers.authenticate(bearer(*ada)), std::nullopt);  // a doctor is no reader
  auto rotated = store->rotate("ada");
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(doctors.authenticate(bearer(*ada)), std::nullopt);  // the old token, refused at once
  EXPECT_EQ(doctors.authenticate(bearer(*rotated)), "ada");
  ASSERT_TRUE(store->remove("ada").ok());
  EXPECT_EQ(doctors.authenticate(bearer(*rotated)), std::nullopt);  // revoked, refused at once
}

}  // namespace
}  // namespace hc::node
