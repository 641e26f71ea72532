// Seeds of the transport and HTTP harnesses: frame streams, handshake messages and the
// requests the node API serves.
#include "crypto/ed25519.h"
#include "net/frame.h"
#include "net/handshake.h"
#include "net/http_request_parse.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

Bytes frames(const std::vector<Bytes>& payloads, std::uint8_t piece) {
  Bytes stream{piece};
  for (const Bytes& p : payloads) {
    const auto header = net::frame_header(p.size());
    stream.insert(stream.end(), header.begin(), header.end());
    stream.insert(stream.end(), p.begin(), p.end());
  }
  return stream;
}

void write_http(const SeedWriter& out, std::string_view name, std::string_view request) {
  net::HttpServerLimits limits;  // as in fuzz/http_request.cpp
  limits.max_body_bytes = 1024;
  limits.max_header_bytes = 512;
  require(net::parse_http_request(request, limits).ok(), "seed request " + std::string(name) + " does not parse");
  out.write("http_request", name, request);
}

}  // namespace

void write_net_seeds(const SeedWriter& out) {
  out.write("net_frame", "one_frame", frames({Bytes(20, 0x61)}, 7));
  out.write("net_frame", "three_frames", frames({Bytes(3, 1), Bytes{}, Bytes(100, 2)}, 1));

  const Bytes raw(32, 0x21);
  auto key = crypto::Ed25519PrivateKey::from_seed(SecureBytes(raw.data(), raw.size()));
  require(key.ok(), "cannot make a replica key");
  const net::Hello hello = net::make_hello(2, key.value().public_key());
  out.write("net_handshake", "hello", net::encode_hello(hello));
  const Bytes transcript = net::handshake_transcript(as_bytes("seed-network"), net::TlsSessionBinding{},
                                                    net::HandshakeRole::kInitiator, hello, hello);
  out.write("net_handshake", "auth", net::encode_auth(key.value().sign(transcript)));

  write_http(out, "get_status", "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:8001\r\n\r\n");
  write_http(out, "get_tx", "GET /v1/tx/00ff?verbose=1 HTTP/1.1\r\nHost: n\r\nAuthorization: Bearer abc\r\n\r\n");
  write_http(out, "post_record",
             "POST /v1/records HTTP/1.1\r\nHost: n\r\nContent-Type: application/json\r\n"
             "Authorization: Bearer tok\r\nContent-Length: 17\r\n\r\n{\"tx\":\"SENUWAE=\"}");
  write_http(out, "post_chunked",
             "POST /v1/manager/transactions HTTP/1.1\r\nHost: n\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n");
}

}  // namespace hc::seeds
