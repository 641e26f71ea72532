// `hc crypto bls12-381 ...`: cross-check commands for the BLS12-381 library, whose output
// forms are relied on by outside checks:
//   g1-mul SCALAR_HEX / g2-mul SCALAR_HEX   compressed hex of generator * scalar
//   pairing-check G1,G1,... G2,G2,...       `true` / `false` (product of pairings == 1)
//   hash-to-fr MSG_HEX DST                  the scalar as 64 lowercase hex digits
// Malformed input (bad hex, scalar >= r, invalid or off-subgroup point) exits with code 2.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/bytes.h"
#include "crypto/bls12_381/bls12_381.h"

namespace hc::cli {

namespace {

namespace bls = hc::bls12_381;

Result<Bytes> parse_hex(std::string_view text, const std::string& what) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  std::string padded(text);
  if (padded.size() % 2 == 1) padded.insert(padded.begin(), '0');
  auto bytes = from_hex(padded);
  if (!bytes.ok()) return invalid_input(what + ": not valid hex");
  return std::move(bytes).value();
}

Result<bls::Fr> parse_scalar(const std::string& text) {
  HC_ASSIGN_OR_RETURN(Bytes raw, parse_hex(text, "scalar"));
  if (raw.size() > 32) return invalid_input("scalar: more than 32 bytes");
  Bytes be32(32 - raw.size(), 0);
  be32.insert(be32.end(), raw.begin(), raw.end());
  auto k = bls::Fr::from_bytes(be32);
  if (!k.ok()) return k.status().with_context("scalar");
  return k;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

template <class G>
Result<std::vector<G>> parse_points(const std::string& list, const char* group) {
  std::vector<G> out;
  std::size_t index = 0;
  for (const std::string& item : split_commas(list)) {
    const std::string what = std::string(group) + " item " + std::to_string(index++);
    HC_ASSIGN_OR_RETURN(Bytes raw, parse_hex(item, what));
    auto p = G::from_compressed(raw);
    if (!p.ok()) return p.status().with_context(what);
    out.push_back(*p);
  }
  return out;
}

Status run_pairing_check(const std::string& g1_list, const std::string& g2_list) {
  HC_ASSIGN_OR_RETURN(auto ps, parse_points<bls::G1>(g1_list, "G1"));
  HC_ASSIGN_OR_RETURN(auto qs, parse_points<bls::G2>(g2_list, "G2"));
  if (ps.size() != qs.size()) {
    return invalid_input("pairing-check: " + std::to_string(ps.size()) + " G1 points but " +
                         std::to_string(qs.size()) + " G2 points");
  }
  std::printf("%s\n", bls::pairing_product_is_one(ps, qs) ? "true" : "false");
  return Status();
}

Status run_hash_to_fr(const std::string& msg_hex, const std::string& dst) {
  HC_ASSIGN_OR_RETURN(Bytes msg, parse_hex(msg_hex, "message"));
  HC_ASSIGN_OR_RETURN(bls::Fr k, bls::hash_to_fr(msg, as_bytes(dst)));
  std::printf("%s\n", to_hex(k.to_bytes()).c_str());
  return Status();
}

template <class G>
Status run_mul(const std::string& scalar_hex) {
  HC_ASSIGN_OR_RETURN(bls::Fr k, parse_scalar(scalar_hex));
  std::printf("%s\n", to_hex(G::generator().mul_public(k).to_compressed()).c_str());
  return Status();
}

}  // namespace

void register_crypto_commands(CLI::App& app) {
  CLI::App* crypto = app.add_subcommand("crypto", "Cryptographic primitives and cross-checks");
  crypto->require_subcommand(1);
  CLI::App* bls_cmd = crypto->add_subcommand("bls12-381", "BLS12-381 pairing library checks");
  bls_cmd->require_subcommand(1);

  auto scalar = std::make_shared<std::string>();
  CLI::App* g1 = bls_cmd->add_subcommand("g1-mul", "Print generator * SCALAR in G1, compressed hex");
  g1->add_option("SCALAR_HEX", *scalar, "scalar, big-endian hex (< r)")->required();
  run_with(g1, [scalar]() { return run_mul<bls::G1>(*scalar); });
  CLI::App* g2 = bls_cmd->add_subcommand("g2-mul", "Print generator * SCALAR in G2, compressed hex");
  g2->add_option("SCALAR_HEX", *scalar, "scalar, big-endian hex (< r)")->required();
  run_with(g2, [scalar]() { return run_mul<bls::G2>(*scalar); });

  auto g1_list = std::make_shared<std::string>();
  auto g2_list = std::make_shared<std::string>();
  CLI::App* pc = bls_cmd->add_subcommand(
      "pairing-check", "Print true when the product of e(G1_i, G2_i) is one, else false");
  pc->add_option("G1_HEXES", *g1_list, "comma-separated compressed G1 points")->required();
  pc->add_option("G2_HEXES", *g2_list, "comma-separated compressed G2 points")->required();
  run_with(pc, [g1_list, g2_list]() { return run_pairing_check(*g1_list, *g2_list); });

  auto msg = std::make_shared<std::string>();
  auto dst = std::make_shared<std::string>();
  CLI::App* h = bls_cmd->add_subcommand("hash-to-fr", "Print hash_to_fr(MSG, DST) as hex");
  h->add_option("MSG_HEX", *msg, "message bytes as hex (may be empty)")->required();
  h->add_option("DST", *dst, "domain separation tag (text, 1..255 bytes)")->required();
  run_with(h, [msg, dst]() { return run_hash_to_fr(*msg, *dst); });
}

}  // namespace hc::cli
