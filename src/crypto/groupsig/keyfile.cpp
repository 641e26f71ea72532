#include "crypto/groupsig/keyfile.h"

#include <array>
#include <memory>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {
namespace {

constexpr std::uint8_t kKdfScrypt = 1;
constexpr std::uint8_t kAeadAes256Gcm = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// Bound on scrypt memory (128 r N bytes); OpenSSL is given twice this to cover its own extra.
constexpr std::uint64_t kScryptMaxMemBytes = 256ull * 1024 * 1024;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

Status internal(std::string_view what) {
  return Status::error(ErrorCode::kInternal, fmt::format("OpenSSL {} failed", what));
}

Status check_params(const ScryptParams& p) {
  if (p.log2_n < kMinScryptLog2N || p.log2_n > kMaxScryptLog2N || p.r < 1 || p.r > kMaxScryptR ||
      p.p < 1 || p.p > kMaxScryptP) {
    return invalid_input("key file: scrypt parameters out of range");
  }
  // scrypt needs 128 r N bytes; refuse parameters that need more than the bound.
  if ((std::uint64_t{128} * p.r) << p.log2_n > kScryptMaxMemBytes) {
    return invalid_input("key file: scrypt parameters need too much memory");
  }
  return Status::ok_status();
}

Result<SecureBytes> derive_key(ByteSpan passphrase, ByteSpan salt, const ScryptParams& p) {
  if (passphrase.empty()) return invalid_input("the passphrase is empty");
  SecureBytes key(kKeyBytes);
  if (EVP_PBE_scrypt(reinterpret_cast<const char*>(passphrase.data()), passphrase.size(),
                     salt.data(), salt.size(), std::uint64_t{1} << p.log2_n, p.r, p.p,
                     2 * kScryptMaxMemBytes, key.data(), key.size()) != 1) {
    return internal("scrypt");
  }
  return key;
}

// Bytes authenticated as associated data: the DST, then the file up to the ciphertext.
Bytes make_aad(ByteSpan prefix) {
  Bytes aad;
  append_bytes(aad, as_bytes(kDstKeyFileAad));
  append_bytes(aad, prefix);
  return aad;
}

struct Parsed {
  KeyKind kind;
  ScryptParams params;
  ByteSpan salt, nonce, public_part, ciphertext, tag, prefix;
};

Result<Parsed> parse(ByteSpan file) {
  ByteReader r(file, "key file");
  HC_RETURN_IF_ERROR(r.header(Kind::kKeyFile));
  Parsed out{};
  HC_ASSIGN_OR_RETURN(std::uint8_t kind, r.u8("key kind"));
  if (kind < 1 || kind > 4) return invalid_input("key file: unknown key kind");
  out.kind = static_cast<KeyKind>(kind);
  HC_ASSIGN_OR_RETURN(std::uint8_t kdf, r.u8("kdf"));
  if (kdf != kKdfScrypt) return invalid_input("key file: unknown key derivation function");
  HC_ASSIGN_OR_RETURN(out.params.log2_n, r.u8("scrypt log2 N"));
  HC_ASSIGN_OR_RETURN(out.params.r, r.u8("scrypt r"));
  HC_ASSIGN_OR_RETURN(out.params.p, r.u8("scrypt p"));
  HC_RETURN_IF_ERROR(check_params(out.params));
  HC_ASSIGN_OR_RETURN(out.salt, r.bytes(kSaltBytes, "salt"));
  HC_ASSIGN_OR_RETURN(std::uint8_t aead, r.u8("cipher"));
  if (aead != kAeadAes256Gcm) return invalid_input("key file: unknown cipher");
  HC_ASSIGN_OR_RETURN(out.nonce, r.bytes(kNonceBytes, "nonce"));
  HC_ASSIGN_OR_RETURN(out.public_part, r.length_prefixed(kMaxEncodingBytes, "public part"));
  out.prefix = file.first(file.size() - r.remaining());
  HC_ASSIGN_OR_RETURN(out.ciphertext, r.length_prefixed(kMaxEncodingBytes, "ciphertext"));
  HC_ASSIGN_OR_RETURN(out.tag, r.bytes(kTagBytes, "tag"));
  HC_RETURN_IF_ERROR(r.finish());
  return out;
}

}  // namespace

Result<Bytes> seal_key_file(KeyKind kind, ByteSpan public_part, ByteSpan secret,
                            ByteSpan passphrase, const ScryptParams& params) {
  HC_RETURN_IF_ERROR(check_params(params));
  if (passphrase.size() < kMinPassphraseBytes) {
    return invalid_input(fmt::format("the passphrase must be at least {} bytes", kMinPassphraseBytes));
  }
  std::array<std::uint8_t, kSaltBytes> salt{};
  std::array<std::uint8_t, kNonceBytes> nonce{};
  if (RAND_bytes(salt.data(), salt.size()) != 1 || RAND_bytes(nonce.data(), nonce.size()) != 1) {
    return internal("RAND_bytes");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes key, derive_key(passphrase, salt, params));
  Bytes out;
  append_header(out, Kind::kKeyFile);
  append_u8(out, static_cast<std::uint8_t>(kind));
  for (std::uint8_t b : {kKdfScrypt, params.log2_n, params.r, params.p}) append_u8(out, b);
  append_bytes(out, salt);
  append_u8(out, kAeadAes256Gcm);
  append_bytes(out, nonce);
  append_length_prefixed(out, public_part);
  const Bytes aad = make_aad(out);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes ct(secret.size() + 16);
  int len = 0;
  int fin = 0;
  std::array<std::uint8_t, kTagBytes> tag{};
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct.data(), &len, secret.data(), static_cast<int>(secret.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct.data() + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1) {
    return internal("AES-256-GCM encryption");
  }
  ct.resize(static_cast<std::size_t>(len + fin));
  append_length_prefixed(out, ct);
  append_bytes(out, tag);
  return out;
}

Result<KeyFileContents> open_key_file(ByteSpan file, KeyKind expected, ByteSpan passphrase) {
  HC_ASSIGN_OR_RETURN(Parsed p, parse(file));
  if (p.kind != expected) {
    return invalid_input(fmt::format("key file holds a key of kind {}, expected kind {}",
                                     static_cast<unsigned>(p.kind), static_cast<unsigned>(expected)));
  }
  HC_ASSIGN_OR_RETURN(SecureBytes key, derive_key(passphrase, p.salt, p.params));
  const Bytes aad = make_aad(p.prefix);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  SecureBytes plain(p.ciphertext.size() + 16);
  int len = 0;
  int fin = 0;
  std::array<std::uint8_t, kTagBytes> tag{};
  std::copy(p.tag.begin(), p.tag.end(), tag.begin());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), p.nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain.data(), &len, p.ciphertext.data(),
                        static_cast<int>(p.ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1) {
    return internal("AES-256-GCM decryption");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &fin) != 1) {
    return Status::error(ErrorCode::kAuthFailed, "wrong passphrase or modified key file");
  }
  plain.truncate(static_cast<std::size_t>(len + fin));
  KeyFileContents out{p.kind, Bytes(p.public_part.begin(), p.public_part.end()), std::move(plain)};
  return out;
}

Result<KeyFileContents> peek_key_file(ByteSpan file) {
  HC_ASSIGN_OR_RETURN(Parsed p, parse(file));
  KeyFileContents out{p.kind, Bytes(p.public_part.begin(), p.public_part.end()), SecureBytes()};
  return out;
}

}  // namespace hc::groupsig
