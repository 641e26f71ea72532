// make_seeds: writes the seed corpora of fuzz/corpus/<harness>/ from the project's real
// encoders (run by scripts/fuzz.sh --make-seeds; docs/fuzzing.md). Each area's seeds are
// made in its own file; a seed that its harness's decoder refuses is an error, so the corpus
// cannot silently rot when an encoding changes. Tool code only; not part of any library.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "crypto/groupsig/issuer.h"

namespace hc::seeds {

class SeedWriter {
 public:
  explicit SeedWriter(std::filesystem::path root) : root_(std::move(root)) {}
  // Writes fuzz/corpus/<harness>/<name>; aborts with a message if it cannot.
  void write(std::string_view harness, std::string_view name, ByteSpan bytes) const;
  void write(std::string_view harness, std::string_view name, std::string_view text) const {
    write(harness, name, as_bytes(text));
  }

 private:
  std::filesystem::path root_;
};

// Aborts with "make_seeds: <what>" when `ok` is false (a seed its decoder refuses).
void require(bool ok, std::string_view what);

// One small group (two members, "alpha" and "beta"), shared by the areas that need group
// signatures; made once per run.
struct Group {
  groupsig::GroupSetup setup;
  groupsig::MemberKey alpha;
  groupsig::MemberKey beta;
};
const Group& group();

void write_bls_seeds(const SeedWriter& out);
void write_groupsig_seeds(const SeedWriter& out);
void write_chain_seeds(const SeedWriter& out);
void write_consensus_seeds(const SeedWriter& out);
void write_net_seeds(const SeedWriter& out);
void write_record_seeds(const SeedWriter& out);
void write_config_seeds(const SeedWriter& out);
void write_threshold_seeds(const SeedWriter& out);
void write_opener_seeds(const SeedWriter& out);

}  // namespace hc::seeds
