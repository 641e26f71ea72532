#include "crypto/groupsig/store.h"

#include <cstdlib>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "common/file_io.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {
namespace {

constexpr std::size_t kMaxPassphraseBytes = 4096;
constexpr std::string_view kCurrentEpochFile = "current-epoch";

template <typename Decode>
auto load_with(const path& file, Decode decode) -> decltype(decode(ByteSpan{})) {
  Result<Bytes> data = read_file(file, kMaxEncodingBytes);
  if (!data.ok()) return data.status();
  auto value = decode(data.value());
  if (!value.ok()) return value.status().with_context(file.string());
  return value;
}

Status save_public(const path& file, const Bytes& data) {
  return write_file_atomic(file, data, 0644);
}

// Public part of a member key file: its name and epoch, readable without the passphrase.
Bytes member_public_part(const MemberKey& key) {
  Bytes out;
  append_bytes(out, as_bytes(key.name));
  append_u8(out, 0);
  append_u64_be(out, key.gpk.epoch);
  return out;
}

Result<SecureBytes> open_secret(const path& file, KeyKind kind, ByteSpan passphrase) {
  Result<Bytes> data = read_file(file, kMaxEncodingBytes);
  if (!data.ok()) return data.status();
  Result<KeyFileContents> contents = open_key_file(data.value(), kind, passphrase);
  if (!contents.ok()) return contents.status().with_context(file.string());
  return std::move(contents.value().secret);
}

Status seal_to(const path& file, KeyKind kind, ByteSpan public_part, const SecureBytes& secret,
               ByteSpan passphrase, const ScryptParams& params) {
  HC_ASSIGN_OR_RETURN(Bytes sealed, seal_key_file(kind, public_part, secret.span(), passphrase, params));
  return write_file_atomic(file, sealed, 0600);
}

template <typename T, typename Decode>
Result<T> load_secret(const path& file, KeyKind kind, ByteSpan passphrase, Decode decode) {
  HC_ASSIGN_OR_RETURN(SecureBytes secret, open_secret(file, kind, passphrase));
  Result<T> value = decode(secret.span());
  if (!value.ok()) return value.status().with_context(file.string());
  return value;
}

}  // namespace

Result<GroupPublicKey> load_gpk(const path& file) { return load_with(file, decode_gpk); }
Result<Registry> load_registry(const path& file) { return load_with(file, decode_registry); }
Result<Signature> load_signature(const path& file) { return load_with(file, decode_signature); }
Result<OpeningProof> load_opening_proof(const path& file) {
  return load_with(file, decode_opening_proof);
}
Result<RevocationRecord> load_revocation(const path& file) {
  return load_with(file, decode_revocation);
}

Result<MemberKey> load_member_key(const path& file, ByteSpan passphrase) {
  return load_secret<MemberKey>(file, KeyKind::kMember, passphrase, decode_member_key);
}
Status save_member_key(const path& file, const MemberKey& key, ByteSpan passphrase,
                       const ScryptParams& params) {
  return seal_to(file, KeyKind::kMember, member_public_part(key), encode_member_key(key),
                 passphrase, params);
}
Result<OpenerKey> load_opener_key(const path& file, ByteSpan passphrase) {
  return load_secret<OpenerKey>(file, KeyKind::kOpener, passphrase, decode_opener_key);
}
Status save_opener_key(const path& file, const OpenerKey& key, ByteSpan passphrase,
                       const ScryptParams& params) {
  return seal_to(file, KeyKind::kOpener, {}, encode_opener_key(key), passphrase, params);
}
Result<IssuerKey> load_issuer_key(const path& file, ByteSpan passphrase) {
  return load_secret<IssuerKey>(file, KeyKind::kIssuer, passphrase, decode_issuer_key);
}
Status save_issuer_key(const path& file, const IssuerKey& key, ByteSpan passphrase,
                       const ScryptParams& params) {
  return seal_to(file, KeyKind::kIssuer, {}, encode_issuer_key(key), passphrase, params);
}

path GroupDir::epoch_dir(std::uint64_t epoch) const {
  return root_ / fmt::format("epoch-{}", epoch);
}

Status GroupDir::create(const GroupPublicKey& gpk, const Registry& registry,
                        const IssuerKey& issuer, const OpenerKey& opener, ByteSpan passphrase,
                        const ScryptParams& params) {
  HC_RETURN_IF_ERROR(create_without_opener(gpk, registry, issuer, passphrase, params));
  return save_opener_key(opener_key(), opener, passphrase, params);
}

Status GroupDir::create_without_opener(const GroupPublicKey& gpk, const Registry& registry, const IssuerKey& issuer,
                                       ByteSpan passphrase, const ScryptParams& params) {
  std::error_code ec;
  if (std::filesystem::exists(root_, ec) && !std::filesystem::is_empty(root_, ec)) {
    return Status::error(ErrorCode::kAlreadyExists,
                         fmt::format("{} exists and is not empty", root_.string()));
  }
  std::filesystem::create_directories(root_, ec);
  if (ec) return Status::error(ErrorCode::kIo, fmt::format("cannot create {}: {}", root_.string(), ec.message()));
  HC_RETURN_IF_ERROR(save_issuer_key(issuer_key(), issuer, passphrase, params));
  return publish_epoch(gpk, registry, nullptr);
}

Result<CurrentIssuance> load_current_issuance(const GroupDir& dir, ByteSpan passphrase) {
  CurrentIssuance out;
  HC_ASSIGN_OR_RETURN(out.epoch, dir.current_epoch());
  HC_ASSIGN_OR_RETURN(out.issuer, load_issuer_key(dir.issuer_key(), passphrase));
  HC_ASSIGN_OR_RETURN(out.gpk, load_gpk(dir.gpk(out.epoch)));
  HC_ASSIGN_OR_RETURN(out.registry, load_registry(dir.registry(out.epoch)));
  if (out.gpk.epoch != out.epoch || out.registry.epoch != out.epoch) {
    return Status::error(ErrorCode::kCorrupt,
                         fmt::format("{}: the group key or registry is not of the current epoch {}",
                                     dir.epoch_dir(out.epoch).string(), out.epoch));
  }
  return out;
}

Result<std::uint64_t> GroupDir::current_epoch() const {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(root_ / kCurrentEpochFile, 32));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::error(ErrorCode::kCorrupt, fmt::format("{}/current-epoch is malformed", root_.string()));
  }
  return static_cast<std::uint64_t>(std::stoull(text));
}

Status GroupDir::publish_epoch(const GroupPublicKey& gpk, const Registry& registry,
                               const RevocationRecord* record) {
  std::error_code ec;
  std::filesystem::create_directories(epoch_dir(gpk.epoch), ec);
  if (ec) return Status::error(ErrorCode::kIo, fmt::format("cannot create {}: {}", epoch_dir(gpk.epoch).string(), ec.message()));
  if (record != nullptr) HC_RETURN_IF_ERROR(save_public(revocation(gpk.epoch), encode_revocation(*record)));
  const Bytes gpk_bytes = encode_gpk(gpk);
  HC_RETURN_IF_ERROR(save_public(this->gpk(gpk.epoch), gpk_bytes));
  HC_RETURN_IF_ERROR(save_public(this->registry(gpk.epoch), encode_registry(registry)));
  HC_RETURN_IF_ERROR(save_public(current_gpk(), gpk_bytes));
  HC_RETURN_IF_ERROR(save_public(current_registry(), encode_registry(registry)));
  return write_text_file_atomic(root_ / kCurrentEpochFile, fmt::format("{}\n", gpk.epoch));
}

Status GroupDir::save_current_registry(const Registry& reg) {
  const Bytes bytes = encode_registry(reg);
  HC_RETURN_IF_ERROR(save_public(registry(reg.epoch), bytes));
  return save_public(current_registry(), bytes);
}

Result<SecureBytes> read_passphrase(const path& file) {
  SecureBytes pass;
  if (!file.empty()) {
    HC_ASSIGN_OR_RETURN(pass, read_secret_file(file, kMaxPassphraseBytes));
    std::size_t n = pass.size();
    if (n > 0 && pass.data()[n - 1] == '\n') --n;
    if (n > 0 && pass.data()[n - 1] == '\r') --n;
    pass.truncate(n);
  } else {
    const char* env = std::getenv("HC_PASSPHRASE");
    if (env == nullptr) {
      return invalid_input("no passphrase: set HC_PASSPHRASE or pass --passphrase-file");
    }
    pass = SecureBytes(std::string_view(env));
  }
  if (pass.empty()) return invalid_input("the passphrase is empty");
  return pass;
}

}  // namespace hc::groupsig
