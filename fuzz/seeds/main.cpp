// make_seeds OUT_DIR: writes every harness's seed corpus under OUT_DIR (fuzz/corpus).
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "crypto/groupsig/issuer.h"
#include "seeds.h"

namespace hc::seeds {

void SeedWriter::write(std::string_view harness, std::string_view name, ByteSpan bytes) const {
  const auto dir = root_ / std::string(harness);
  std::filesystem::create_directories(dir);
  std::ofstream file(dir / std::string(name), std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  require(static_cast<bool>(file), "cannot write " + (dir / std::string(name)).string());
}

void require(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "make_seeds: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

const Group& group() {
  static const Group* made = [] {
    auto* g = new Group{groupsig::setup(), {}, {}};
    auto alpha = groupsig::enroll(g->setup.issuer, g->setup.gpk, g->setup.registry, "alpha");
    auto beta = groupsig::enroll(g->setup.issuer, g->setup.gpk, g->setup.registry, "beta");
    require(alpha.ok() && beta.ok(), "cannot enroll the seed group's members");
    g->alpha = std::move(alpha).value();
    g->beta = std::move(beta).value();
    return g;
  }();
  return *made;
}

}  // namespace hc::seeds

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR (fuzz/corpus)\n");
    return 2;
  }
  const hc::seeds::SeedWriter out(argv[1]);
  hc::seeds::write_bls_seeds(out);
  hc::seeds::write_groupsig_seeds(out);
  hc::seeds::write_chain_seeds(out);
  hc::seeds::write_consensus_seeds(out);
  hc::seeds::write_net_seeds(out);
  hc::seeds::write_record_seeds(out);
  hc::seeds::write_config_seeds(out);
  hc::seeds::write_threshold_seeds(out);
  hc::seeds::write_opener_seeds(out);
  return 0;
}
