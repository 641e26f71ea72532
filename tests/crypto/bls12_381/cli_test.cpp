// `hc crypto bls12-381 ...`: exact output forms and exit codes, running the built binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "common/bytes.h"
#include "test_util.h"

namespace {

struct CliRun {
  std::string out;
  int code;
};

CliRun hc(const std::string& args) {
  std::string cmd = std::string(HC_BINARY_DIR) + "/bin/hc crypto bls12-381 " + args + " 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  EXPECT_NE(f, nullptr);
  CliRun r;
  char buf[512];
  while (f != nullptr && std::fgets(buf, sizeof(buf), f) != nullptr) r.out += buf;
  int status = f != nullptr ? pclose(f) : -1;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string vector_hex(const char* file, std::size_t size, std::size_t index) {
  auto v = hc::bls12_381::testing::read_vector_file(file);
  return hc::to_hex(hc::ByteSpan(v.data() + index * size, size));
}

TEST(Bls12381Cli, MulPrintsCompressedHex) {
  CliRun g1 = hc("g1-mul 0000000000000000000000000000000000000000000000000000000000000007");
  EXPECT_EQ(g1.code, 0);
  EXPECT_EQ(g1.out, vector_hex("zkcrypto/g1_compressed_valid_test_vectors.dat", 48, 7) + "\n");
  CliRun g2 = hc("g2-mul 2a");
  EXPECT_EQ(g2.code, 0);
  EXPECT_EQ(g2.out, vector_hex("zkcrypto/g2_compressed_valid_test_vectors.dat", 96, 42) + "\n");
  EXPECT_EQ(hc("g1-mul 73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001").code, 2);
  EXPECT_EQ(hc("g1-mul xyz").code, 2);
}

TEST(Bls12381Cli, PairingCheck) {
  const std::string p3 = vector_hex("zkcrypto/g1_compressed_valid_test_vectors.dat", 48, 3);
  const std::string p6 = vector_hex("zkcrypto/g1_compressed_valid_test_vectors.dat", 48, 6);
  const std::string q2 = vector_hex("zkcrypto/g2_compressed_valid_test_vectors.dat", 96, 2);
  const std::string q1 = vector_hex("zkcrypto/g2_compressed_valid_test_vectors.dat", 96, 1);
  CliRun neg_q1 = hc("g2-mul 73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000");
  ASSERT_EQ(neg_q1.code, 0);
  const std::string nq1 = neg_q1.out.substr(0, neg_q1.out.size() - 1);
  // e(3G1, 2G2) e(6G1, -G2) = 1; e(3G1, 2G2) e(3G1, -G2) != 1.
  CliRun yes = hc("pairing-check " + p3 + "," + p6 + " " + q2 + "," + nq1);
  EXPECT_EQ(yes.code, 0);
  EXPECT_EQ(yes.out, "true\n");
  CliRun no = hc("pairing-check " + p3 + "," + p3 + " " + q2 + "," + nq1);
  EXPECT_EQ(no.code, 0);
  EXPECT_EQ(no.out, "false\n");
  EXPECT_EQ(hc("pairing-check " + p3 + "00 " + q2).code, 2);  // wrong length
  EXPECT_EQ(hc("pairing-check " + p3 + " " + q2 + "," + q1).code, 2);  // count mismatch
  std::string bad = p3;
  bad[0] = '1';  // compression flag cleared
  EXPECT_EQ(hc("pairing-check " + bad + " " + q2).code, 2);
}

TEST(Bls12381Cli, HashToFr) {
  // 48 bytes of expand_message_xmd(SHA-256) mod r, cross-checked with an independent script.
  CliRun r = hc("hash-to-fr 616263 QUUX");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "5fecd670dd207703a4627a48bac99e53e6763af6484553bd67ffacdb6b6ecada\n");
  EXPECT_EQ(hc("hash-to-fr 6162zz QUUX").code, 2);
}

}  // namespace
