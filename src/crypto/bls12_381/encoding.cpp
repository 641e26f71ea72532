// ZCash / IETF point encodings for G1 (48 / 96 bytes) and G2 (96 / 192 bytes).
//
// The first byte carries three flags: 0x80 compressed, 0x40 point at infinity, 0x20 sign
// of y (set when y is the lexicographically largest root; compressed form only). G2 field
// elements are written c1 first, then c0. Decoding rejects every malformed input with
// kInvalidInput: wrong length, flag misuse, a coordinate >= p, a point off the curve, or a
// point outside the prime-order subgroup.
#include <string>
#include <vector>

#include "crypto/bls12_381/points.h"

namespace hc::bls12_381 {

namespace {

constexpr std::uint8_t kCompressedFlag = 0x80;
constexpr std::uint8_t kInfinityFlag = 0x40;
constexpr std::uint8_t kSignFlag = 0x20;

void write_fp(const Fp& a, std::uint8_t* out) { fp_to_bytes_be(a, out); }
void write_fp2(const Fp2& a, std::uint8_t* out) {
  fp_to_bytes_be(a.c1, out);
  fp_to_bytes_be(a.c0, out + 48);
}

// Reads a coordinate; `masked` clears the three flag bits of the first byte.
bool read_fp(const std::uint8_t* in, bool masked, Fp& out) {
  std::uint8_t buf[48];
  for (int i = 0; i < 48; ++i) buf[i] = in[i];
  if (masked) buf[0] &= 0x1f;
  return fp_from_bytes_be(buf, out);
}
bool read_fp2(const std::uint8_t* in, bool masked, Fp2& out) {
  return read_fp(in, masked, out.c1) && read_fp(in + 48, false, out.c0);
}

bool lex_largest(const Fp& y) { return fp_is_lexicographically_largest(y); }
bool lex_largest(const Fp2& y) { return fp2_is_lexicographically_largest(y); }
bool sqrt_of(const Fp& a, Fp& out) { return fp_sqrt(a, out); }
bool sqrt_of(const Fp2& a, Fp2& out) { return fp2_sqrt(a, out); }
bool read_coord(const std::uint8_t* in, bool masked, Fp& out) { return read_fp(in, masked, out); }
bool read_coord(const std::uint8_t* in, bool masked, Fp2& out) {
  return read_fp2(in, masked, out);
}
void write_coord(const Fp& a, std::uint8_t* out) { write_fp(a, out); }
void write_coord(const Fp2& a, std::uint8_t* out) { write_fp2(a, out); }
bool in_subgroup(const Proj<Fp>& p) { return g1_in_subgroup(p); }
bool in_subgroup(const Proj<Fp2>& p) { return g2_in_subgroup(p); }

// Checks the flags and the all-zero body of an infinity encoding. Returns an error
// message, or empty when the flags are consistent; sets `infinity`.
std::string check_flags(ByteSpan in, bool compressed, bool& infinity) {
  const std::uint8_t b0 = in[0];
  if (((b0 & kCompressedFlag) != 0) != compressed) {
    return compressed ? "compression flag not set" : "compression flag set on an uncompressed point";
  }
  if (!compressed && (b0 & kSignFlag) != 0) return "sign flag set on an uncompressed point";
  infinity = (b0 & kInfinityFlag) != 0;
  if (!infinity) return "";
  if ((b0 & kSignFlag) != 0) return "sign flag set on the point at infinity";
  std::uint8_t acc = b0 & 0x1f;
  for (std::size_t i = 1; i < in.size(); ++i) acc |= in[i];
  if (acc != 0) return "point at infinity with nonzero coordinate bytes";
  return "";
}

// Every check of the encoding; the subgroup test too unless `check_subgroup` is false (the
// caller then establishes membership another way, g1_from_compressed_batch_vartime).
template <class F>
Result<Proj<F>> decode(ByteSpan in, bool compressed, const char* group, bool check_subgroup = true) {
  const std::size_t coord = sizeof(F) / sizeof(Fp) * 48;
  const std::size_t want = compressed ? coord : 2 * coord;
  const std::string name = group;
  if (in.size() != want) {
    return invalid_input(name + " point: expected " + std::to_string(want) + " bytes, got " +
                         std::to_string(in.size()));
  }
  bool infinity = false;
  std::string err = check_flags(in, compressed, infinity);
  if (!err.empty()) return invalid_input(name + " point: " + err);
  if (infinity) return proj_identity<F>();
  F x, y;
  if (!read_coord(in.data(), true, x)) return invalid_input(name + " point: x >= p");
  if (compressed) {
    if (!sqrt_of(f_sqr(x) * x + curve_b(x), y)) {
      return invalid_input(name + " point: not on the curve");
    }
    bool want_largest = (in[0] & kSignFlag) != 0;
    if (lex_largest(y) != want_largest) y = -y;
  } else {
    if (!read_coord(in.data() + coord, false, y)) return invalid_input(name + " point: y >= p");
    if (!affine_on_curve(x, y)) return invalid_input(name + " point: not on the curve");
  }
  Proj<F> p{x, y, f_one<F>()};
  if (check_subgroup && !in_subgroup(p)) {
    return invalid_input(name + " point: not in the prime-order subgroup");
  }
  return p;
}

template <class F, std::size_t N>
std::array<std::uint8_t, N> encode_affine(const Affine<F>& a, bool compressed) {
  std::array<std::uint8_t, N> out{};
  if (a.infinity) {
    out[0] = compressed ? (kCompressedFlag | kInfinityFlag) : kInfinityFlag;
    return out;
  }
  write_coord(a.x, out.data());
  if (compressed) {
    out[0] |= kCompressedFlag;
    if (lex_largest(a.y)) out[0] |= kSignFlag;
  } else {
    write_coord(a.y, out.data() + N / 2);
  }
  return out;
}

// proj_to_affine inverts Z in constant time, so encoding is safe on secret-derived points.
template <class F, std::size_t N>
std::array<std::uint8_t, N> encode(const Proj<F>& p, bool compressed) {
  return encode_affine<F, N>(proj_to_affine(p), compressed);
}

}  // namespace

Result<G1> G1::from_compressed(ByteSpan bytes48) {
  HC_ASSIGN_OR_RETURN(Proj<Fp> p, decode<Fp>(bytes48, true, "G1"));
  return to_g1(p);
}
Result<G1> G1::from_uncompressed(ByteSpan bytes96) {
  HC_ASSIGN_OR_RETURN(Proj<Fp> p, decode<Fp>(bytes96, false, "G1"));
  return to_g1(p);
}
Result<Proj<Fp>> g1_decompress_on_curve(ByteSpan bytes48) {
  return decode<Fp>(bytes48, true, "G1", false);
}

std::array<std::uint8_t, 48> G1::to_compressed() const {
  return encode<Fp, 48>(to_proj(*this), true);
}
std::array<std::uint8_t, 96> G1::to_uncompressed() const {
  return encode<Fp, 96>(to_proj(*this), false);
}

Result<G2> G2::from_compressed(ByteSpan bytes96) {
  HC_ASSIGN_OR_RETURN(Proj<Fp2> p, decode<Fp2>(bytes96, true, "G2"));
  return to_g2(p);
}
Result<G2> G2::from_uncompressed(ByteSpan bytes192) {
  HC_ASSIGN_OR_RETURN(Proj<Fp2> p, decode<Fp2>(bytes192, false, "G2"));
  return to_g2(p);
}
std::array<std::uint8_t, 96> G2::to_compressed() const {
  return encode<Fp2, 96>(to_proj(*this), true);
}
std::array<std::uint8_t, 192> G2::to_uncompressed() const {
  return encode<Fp2, 192>(to_proj(*this), false);
}

std::vector<std::array<std::uint8_t, 48>> to_compressed_batch(std::span<const G1> points) {
  // Montgomery's trick: prefix[i] = z_0 ... z_i, one inversion of the full product, then
  // 1/z_i = prefix[i-1] / (z_0 ... z_i) walking back. The identity's Z = 0 is replaced by 1
  // with a masked move, so the sequence of operations depends only on the number of points.
  const std::size_t n = points.size();
  std::vector<Proj<Fp>> ps(n);
  std::vector<Fp> z(n), prefix(n);
  std::vector<std::uint64_t> infinity(n);
  Fp acc = fp_one();
  for (std::size_t i = 0; i < n; ++i) {
    ps[i] = to_proj(points[i]);
    infinity[i] = fp_is_zero_mask(ps[i].z);
    z[i] = ps[i].z;
    fp_cmov(z[i], fp_one(), infinity[i]);
    acc = acc * z[i];
    prefix[i] = acc;
  }
  Fp inv = fp_inverse(acc);  // constant time
  std::vector<std::array<std::uint8_t, 48>> out(n);
  for (std::size_t i = n; i-- > 0;) {
    const Fp zi = i > 0 ? inv * prefix[i - 1] : inv;
    inv = inv * z[i];
    const Affine<Fp> a{ps[i].x * zi, ps[i].y * zi, infinity[i] != 0};
    out[i] = encode_affine<Fp, 48>(a, true);
  }
  return out;
}

}  // namespace hc::bls12_381
