// X.509 certificates for the node API's TLS (docs/deploy.md, "Trust anchors"): each hospital
// has its own certificate authority (the hospital CA, whose certificate goes into the genesis
// as that hospital's trust anchor) and issues its node's server certificate with it. Keys are
// ECDSA P-256; certificates are standard PEM (`openssl x509`, `curl --cacert` read them);
// private keys are written as encrypted PKCS#8 PEM (crypto/pkcs8_pem.h). Everything goes
// through OpenSSL's X.509 and EVP APIs; no OpenSSL type appears in this interface.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::net {

inline constexpr std::size_t kMaxCertificatePemBytes = 8 * 1024;
inline constexpr std::int64_t kDefaultCaValidityDays = 3650;
inline constexpr std::int64_t kDefaultNodeCertificateValidityDays = 825;

struct TlsKeyPair {
  std::string certificate_pem;
  std::string encrypted_key_pem;  // encrypted PKCS#8 PEM (scrypt + AES-256-CBC)
};

// Validity window relative to now, in seconds (negative values place it in the past; tests
// use that for expired certificates).
struct Validity {
  std::int64_t not_before_s = -300;  // tolerate small clock skew between machines
  std::int64_t not_after_s = kDefaultNodeCertificateValidityDays * 86400;
};

// A self-signed CA certificate (basicConstraints CA:TRUE, pathlen 0; keyCertSign, cRLSign) for
// `common_name` (1..64 printable ASCII). kInvalidInput for a bad name or a passphrase under 8
// bytes.
Result<TlsKeyPair> create_tls_ca(const std::string& common_name, const SecureBytes& passphrase, Validity validity);

// A server certificate (CA:FALSE, digitalSignature, serverAuth) for `common_name` whose
// subjectAltName lists `hosts` (IP addresses become IP entries, anything else DNS entries;
// 1..16 of them), signed by the CA. kInvalidInput for a bad CA certificate or host;
// kAuthFailed for a wrong CA passphrase.
Result<TlsKeyPair> issue_tls_server_certificate(const TlsKeyPair& ca, const SecureBytes& ca_passphrase,
                                                const std::string& common_name, const std::vector<std::string>& hosts,
                                                const SecureBytes& key_passphrase, Validity validity);

// Checks that `pem` is exactly one PEM certificate (at most kMaxCertificatePemBytes) of a CA
// (basicConstraints CA:TRUE). kInvalidInput naming what is wrong.
Status check_tls_ca_certificate(std::string_view pem);

// Checks that the first certificate of `chain_pem` (a server's chain file: its certificate, then
// its CA's; at most 4 * kMaxCertificatePemBytes) is issued by the CA certificate `ca_pem` and
// valid now (X.509 path validation with `ca_pem` as the only trust anchor; no name check).
// kInvalidInput naming the malformed one, kAuthFailed with OpenSSL's reason when it does not
// chain to `ca_pem`.
Status check_certificate_issued_by(std::string_view chain_pem, std::string_view ca_pem);

// SHA-256 of the certificate's DER encoding, lower-case hex (what `openssl x509 -fingerprint
// -sha256` prints, without colons). kInvalidInput for a malformed certificate.
Result<std::string> tls_certificate_sha256(std::string_view pem);

// The subject's common name (CN) of a certificate, as its UTF-8 text: empty when the subject
// has none. kInvalidInput for a malformed certificate. The text is the certificate's, not
// checked for anything: a caller that shows it must bound and escape it.
Result<std::string> tls_certificate_common_name(std::string_view pem);

}  // namespace hc::net
