// HTTPS between HttpServer and http_call with certificates from net/tls_certificate.h: a
// client trusting a hospital CA talks to a node whose certificate that CA issued, and refuses
// every other case with a clear error (unknown CA, expired, another host's certificate, plain
// HTTP to a non-loopback host). The certificates are also checked with the openssl binary.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

#include "common/file_io.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "net/tls_certificate.h"
#include "net/tls_context.h"
#include "support/temp_dir.h"

namespace hc::net {
namespace {

const SecureBytes& ca_pass() {
  static const SecureBytes p(std::string_view("ca passphrase"));
  return p;
}
const SecureBytes& key_pass() {
  static const SecureBytes p(std::string_view("node passphrase"));
  return p;
}

TlsKeyPair make_ca(const std::string& name) {
  auto ca = create_tls_ca(name, ca_pass(), Validity{-300, kDefaultCaValidityDays * 86400});
  EXPECT_TRUE(ca.ok()) << ca.status().to_string();
  return *ca;
}

TlsKeyPair make_node(const TlsKeyPair& ca, std::vector<std::string> hosts, Validity validity = {}) {
  auto cert = issue_tls_server_certificate(ca, ca_pass(), "node-0", hosts, key_pass(), validity);
  EXPECT_TRUE(cert.ok()) << cert.status().to_string();
  return *cert;
}

// An HTTPS server on 127.0.0.1 answering 200 "ok" to anything.
class TlsServer {
 public:
  explicit TlsServer(const TlsKeyPair& node, const TlsKeyPair& ca) {
    auto ctx = make_tls_server_context(node.certificate_pem + ca.certificate_pem, node.encrypted_key_pem, key_pass());
    EXPECT_TRUE(ctx.ok()) << ctx.status().to_string();
    server_ = std::make_unique<HttpServer>(io_, HttpServerLimits{}, [](const HttpRequest& r) {
      return HttpResponse::json(200, "{\"path\":\"" + r.path() + "\"}");
    });
    server_->use_tls(*ctx);
    auto port = server_->listen("127.0.0.1", 0);
    EXPECT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsServer() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

Result<HttpResponse> get(std::uint16_t port, const std::vector<std::string>& trusted, const std::string& host = "127.0.0.1") {
  HC_ASSIGN_OR_RETURN(HttpUrl url, parse_http_url("https://" + host + ":" + std::to_string(port)));
  HttpCallOptions options;
  options.timeout_ms = 5000;
  HC_ASSIGN_OR_RETURN(options.tls, make_tls_client_context(trusted));
  return http_call(url, "GET", "/v1/status", "", options);
}

TEST(TlsTest, ClientTrustingTheHospitalCaReachesItsNode) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsServer server(make_node(ca, {"127.0.0.1", "localhost"}), ca);
  auto r = get(server.port(), {ca.certificate_pem});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"path\":\"/v1/status\"}");
  auto by_name = get(server.port(), {ca.certificate_pem}, "localhost");
  ASSERT_TRUE(by_name.ok()) << by_name.status().to_string();
}

TEST(TlsTest, CertificateFromACaNotInTheTrustListIsRefused) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsKeyPair other = make_ca("Impostor CA");
  TlsServer server(make_node(other, {"127.0.0.1"}), other);
  auto r = get(server.port(), {ca.certificate_pem});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_NE(r.status().message().find("not trusted"), std::string::npos) << r.status().message();
}

TEST(TlsTest, ExpiredCertificateIsRefused) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsServer server(make_node(ca, {"127.0.0.1"}, Validity{-2 * 86400, -86400}), ca);
  auto r = get(server.port(), {ca.certificate_pem});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_NE(r.status().message().find("expired"), std::string::npos) << r.status().message();
}

TEST(TlsTest, CertificateForAnotherHostIsRefused) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsServer server(make_node(ca, {"10.0.0.7", "node.hospital-b.example"}), ca);
  auto r = get(server.port(), {ca.certificate_pem});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed) << r.status().to_string();
}

TEST(TlsTest, HttpsWithoutTrustAnchorsIsRefusedBeforeConnecting) {
  auto url = parse_http_url("https://127.0.0.1:1");
  ASSERT_TRUE(url.ok());
  auto r = http_call(*url, "GET", "/", "", HttpCallOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("genesis"), std::string::npos);
  EXPECT_FALSE(make_tls_client_context({}).ok());
}

TEST(TlsTest, PlainHttpClientGetsNothingFromAnHttpsServer) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsServer server(make_node(ca, {"127.0.0.1"}), ca);
  HttpUrl url{"127.0.0.1", server.port(), "", false};
  HttpCallOptions options;
  options.timeout_ms = 3000;
  auto r = http_call(url, "GET", "/", "", options);
  EXPECT_FALSE(r.ok());
}

// Rotation: the hospital issues a new certificate with the same CA; clients keep the same
// trust anchors (the genesis does not change) and accept the new certificate, and the old
// certificate's key cannot be paired with the new certificate.
TEST(TlsTest, RotatedCertificateFromTheSameCaIsAcceptedWithoutChangingTrust) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsKeyPair first = make_node(ca, {"127.0.0.1"});
  TlsKeyPair second = make_node(ca, {"127.0.0.1"});
  EXPECT_NE(*tls_certificate_sha256(first.certificate_pem), *tls_certificate_sha256(second.certificate_pem));
  {
    TlsServer server(first, ca);
    ASSERT_TRUE(get(server.port(), {ca.certificate_pem}).ok());
  }
  TlsServer server(second, ca);
  auto r = get(server.port(), {ca.certificate_pem});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_FALSE(make_tls_server_context(second.certificate_pem, first.encrypted_key_pem, key_pass()).ok());
}

TEST(TlsCertificateTest, BadInputsAreRefused) {
  TlsKeyPair ca = make_ca("Hospital A CA");
  EXPECT_FALSE(create_tls_ca("", ca_pass(), {}).ok());
  EXPECT_FALSE(create_tls_ca("x", SecureBytes(std::string_view("short")), {}).ok());
  EXPECT_FALSE(issue_tls_server_certificate(ca, ca_pass(), "n", {"bad host!"}, key_pass(), {}).ok());
  EXPECT_FALSE(issue_tls_server_certificate(ca, ca_pass(), "n", {}, key_pass(), {}).ok());
  auto wrong_pass = issue_tls_server_certificate(ca, key_pass(), "n", {"127.0.0.1"}, key_pass(), {});
  ASSERT_FALSE(wrong_pass.ok());
  EXPECT_EQ(wrong_pass.status().code(), ErrorCode::kAuthFailed);
  TlsKeyPair node = make_node(ca, {"127.0.0.1"});
  EXPECT_TRUE(check_tls_ca_certificate(ca.certificate_pem).ok());
  EXPECT_FALSE(check_tls_ca_certificate(node.certificate_pem).ok());  // a leaf is no anchor
  EXPECT_FALSE(check_tls_ca_certificate("not a certificate").ok());
  EXPECT_FALSE(check_tls_ca_certificate(ca.certificate_pem + ca.certificate_pem).ok());
  std::string truncated = ca.certificate_pem.substr(0, ca.certificate_pem.size() / 2);
  EXPECT_FALSE(check_tls_ca_certificate(truncated).ok());
  EXPECT_FALSE(make_tls_client_context({node.certificate_pem}).ok());
  EXPECT_FALSE(issue_tls_server_certificate(node, key_pass(), "n", {"127.0.0.1"}, key_pass(), {}).ok());
}

TEST(HttpUrlTlsTest, PlainHttpOnlyForLoopback) {
  auto https = parse_http_url("https://node.hospital-a.example/api");
  ASSERT_TRUE(https.ok());
  EXPECT_TRUE(https->tls);
  EXPECT_EQ(https->port, 443);
  EXPECT_TRUE(parse_http_url("http://127.0.0.1:8001").ok());
  EXPECT_TRUE(parse_http_url("http://localhost:8001").ok());
  EXPECT_TRUE(parse_http_url("http://[::1]:8001").ok());
  auto remote = parse_http_url("http://10.0.0.7:8001");
  ASSERT_FALSE(remote.ok());
  EXPECT_NE(remote.status().message().find("only for development"), std::string::npos);
  EXPECT_FALSE(parse_http_url("ftp://127.0.0.1").ok());
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// The certificates are standard: the openssl binary parses them and verifies the node's
// certificate against the hospital CA (what `curl --cacert ca.pem` relies on), and reads the
// encrypted key with the passphrase.
TEST(TlsCertificateTest, OpensslBinaryAcceptsTheCertificates) {
  if (run("openssl version") != 0) GTEST_SKIP() << "no openssl binary";
  hc::test::TempDir dir;
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsKeyPair node = make_node(ca, {"127.0.0.1", "localhost"});
  ASSERT_TRUE(write_text_file_atomic(dir / "ca.pem", ca.certificate_pem).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "node.pem", node.certificate_pem).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "node.key", node.encrypted_key_pem).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "pass", "node passphrase\n").ok());
  std::string d = dir.path().string();
  EXPECT_EQ(run("openssl x509 -noout -in " + d + "/ca.pem"), 0);
  EXPECT_EQ(run("openssl verify -CAfile " + d + "/ca.pem " + d + "/node.pem"), 0);
  EXPECT_EQ(run("openssl verify -x509_strict -purpose sslserver -CAfile " + d + "/ca.pem " + d + "/node.pem"), 0);
  EXPECT_EQ(run("openssl pkey -noout -in " + d + "/node.key -passin file:" + d + "/pass"), 0);
  EXPECT_NE(run("openssl verify -CAfile " + d + "/node.pem " + d + "/ca.pem"), 0);
  auto fingerprint = tls_certificate_sha256(ca.certificate_pem);
  ASSERT_TRUE(fingerprint.ok());
  EXPECT_EQ(fingerprint->size(), 64u);
}

// curl, given only the hospital CA, talks to the node over HTTPS.
TEST(TlsCertificateTest, CurlWithTheCaCertificateReachesTheNode) {
  if (run("curl --version") != 0) GTEST_SKIP() << "no curl binary";
  hc::test::TempDir dir;
  TlsKeyPair ca = make_ca("Hospital A CA");
  TlsServer server(make_node(ca, {"127.0.0.1"}), ca);
  ASSERT_TRUE(write_text_file_atomic(dir / "ca.pem", ca.certificate_pem).ok());
  std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v1/x";
  EXPECT_EQ(run("curl -sf --max-time 5 --cacert " + (dir / "ca.pem").string() + " " + url), 0);
  EXPECT_NE(run("curl -sf --max-time 5 " + url), 0);  // no outside CA vouches for it
  EXPECT_NE(run("curl -sf --max-time 5 --tls-max 1.1 --cacert " + (dir / "ca.pem").string() + " " + url), 0);
}


// The rotation procedure of docs/deploy.md ("Rotating a node's certificate"), step by step with
// the openssl binary: a new key and certificate issued with the hospital CA's key, the key
// re-encrypted as scrypt PKCS#8; the node loads them and a client trusting the same genesis
// anchor accepts the new certificate.
TEST(TlsCertificateTest, DocumentedOpensslRotationProducesFilesTheNodeServes) {
  if (run("openssl version") != 0) GTEST_SKIP() << "no openssl binary";
  hc::test::TempDir dir;
  TlsKeyPair ca = make_ca("Hospital A CA");
  std::string d = dir.path().string();
  ASSERT_TRUE(write_text_file_atomic(dir / "tls-ca.pem", ca.certificate_pem).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "tls-ca.key.pem", ca.encrypted_key_pem).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "ca.pass", "ca passphrase\n").ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "node.pass", "node passphrase\n").ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "ext.cnf",
                                     "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                     "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")
                  .ok());
  const std::string steps =
      "cd " + d + " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out new.key"
      " && openssl req -new -key new.key -subj '/O=Healthchain consortium/CN=node-0' -out new.csr"
      " && openssl x509 -req -in new.csr -CA tls-ca.pem -CAkey tls-ca.key.pem -passin file:ca.pass"
      " -CAcreateserial -days 825 -sha256 -extfile ext.cnf -out new.pem"
      " && openssl pkcs8 -topk8 -v2 aes-256-cbc -scrypt -in new.key -passout file:node.pass -out tls.key.pem"
      " && rm new.key new.csr && cat new.pem tls-ca.pem > tls.pem";
  ASSERT_EQ(run("(" + steps + ")"), 0) << steps;
  auto chain = read_text_file(dir / "tls.pem", 1 << 16);
  auto key = read_text_file(dir / "tls.key.pem", 1 << 16);
  ASSERT_TRUE(chain.ok() && key.ok());
  auto ctx = make_tls_server_context(*chain, *key, key_pass());
  ASSERT_TRUE(ctx.ok()) << ctx.status().to_string();
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  HttpServer server(io, HttpServerLimits{}, [](const HttpRequest&) { return HttpResponse::json(200, "{}"); });
  server.use_tls(*ctx);
  auto port = server.listen("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  std::thread thread([&io] { io.run(); });
  auto r = get(*port, {ca.certificate_pem});
  server.stop();
  work.reset();
  io.stop();
  thread.join();
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace hc::net
