#include "crypto/p256.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "common/check.h"
#include "common/secure_bytes.h"
#include "crypto/hash.h"

namespace hc::crypto {

namespace {

const EC_GROUP* group() {
  static const EC_GROUP* g = [] {
    EC_GROUP* created = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    HC_CHECK(created != nullptr);
    return created;
  }();
  return g;
}

const BIGNUM* order() { return EC_GROUP_get0_order(group()); }

struct BnCtx {
  BnCtx() : ctx(BN_CTX_secure_new()) { HC_CHECK(ctx != nullptr); }
  ~BnCtx() { BN_CTX_free(ctx); }
  BnCtx(const BnCtx&) = delete;
  BnCtx& operator=(const BnCtx&) = delete;
  BN_CTX* ctx;
};

// A BIGNUM that is cleared (zeroized) when it goes out of scope.
struct Bn {
  Bn() : bn(BN_secure_new()) {
    HC_CHECK(bn != nullptr);
    BN_set_flags(bn, BN_FLG_CONSTTIME);
  }
  explicit Bn(const std::array<std::uint8_t, kP256ScalarBytes>& be) : Bn() {
    HC_CHECK(BN_bin2bn(be.data(), static_cast<int>(be.size()), bn) != nullptr);
  }
  ~Bn() { BN_clear_free(bn); }
  Bn(const Bn&) = delete;
  Bn& operator=(const Bn&) = delete;
  std::array<std::uint8_t, kP256ScalarBytes> to_array() const {
    std::array<std::uint8_t, kP256ScalarBytes> out{};
    HC_CHECK(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == static_cast<int>(out.size()));
    return out;
  }
  BIGNUM* bn;
};

P256Scalar scalar_from_bn(const Bn& value) {
  auto be = value.to_array();
  auto s = P256Scalar::from_bytes(be);
  secure_wipe(be.data(), be.size());
  HC_CHECK(s.ok());
  return std::move(s).value();
}

}  // namespace

struct P256Point::Impl {
  explicit Impl(EC_POINT* p) : point(p) { HC_CHECK(point != nullptr); }
  ~Impl() { EC_POINT_clear_free(point); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  EC_POINT* point;
};

// ---- scalars ----

P256Scalar::~P256Scalar() { secure_wipe(be_.data(), be_.size()); }

P256Scalar P256Scalar::from_u64(std::uint64_t v) {
  P256Scalar s;
  for (int i = 0; i < 8; ++i) s.be_[31 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  return s;
}

Result<P256Scalar> P256Scalar::from_bytes(ByteSpan bytes) {
  if (bytes.size() != kP256ScalarBytes) return invalid_input("P-256 scalar must be 32 bytes");
  P256Scalar s;
  std::copy(bytes.begin(), bytes.end(), s.be_.begin());
  Bn value(s.be_);
  if (BN_cmp(value.bn, order()) >= 0) return invalid_input("P-256 scalar is not below the group order");
  return s;
}

P256Scalar P256Scalar::random_nonzero() {
  for (;;) {
    SecureBytes wide(64);
    random_bytes({wide.data(), wide.size()});
    P256Scalar s = reduce_wide(wide.span());
    if (!s.is_zero()) return s;
  }
}

P256Scalar P256Scalar::reduce_wide(ByteSpan bytes64) {
  HC_CHECK(bytes64.size() == 64);
  BnCtx ctx;
  Bn wide;
  Bn reduced;
  HC_CHECK(BN_bin2bn(bytes64.data(), 64, wide.bn) != nullptr);
  HC_CHECK(BN_nnmod(reduced.bn, wide.bn, order(), ctx.ctx) == 1);
  return scalar_from_bn(reduced);
}

bool P256Scalar::is_zero() const {
  std::uint8_t acc = 0;
  for (std::uint8_t b : be_) acc |= b;
  return acc == 0;
}

P256Scalar P256Scalar::operator+(const P256Scalar& o) const {
  BnCtx ctx;
  Bn a(be_), b(o.be_), r;
  HC_CHECK(BN_mod_add(r.bn, a.bn, b.bn, order(), ctx.ctx) == 1);
  return scalar_from_bn(r);
}

P256Scalar P256Scalar::operator-(const P256Scalar& o) const {
  BnCtx ctx;
  Bn a(be_), b(o.be_), r;
  HC_CHECK(BN_mod_sub(r.bn, a.bn, b.bn, order(), ctx.ctx) == 1);
  return scalar_from_bn(r);
}

P256Scalar P256Scalar::operator*(const P256Scalar& o) const {
  BnCtx ctx;
  Bn a(be_), b(o.be_), r;
  HC_CHECK(BN_mod_mul(r.bn, a.bn, b.bn, order(), ctx.ctx) == 1);
  return scalar_from_bn(r);
}

Result<P256Scalar> P256Scalar::inverse() const {
  if (is_zero()) return invalid_input("zero has no inverse modulo the P-256 order");
  BnCtx ctx;
  Bn a(be_), r;
  HC_CHECK(BN_mod_inverse(r.bn, a.bn, order(), ctx.ctx) != nullptr);
  return scalar_from_bn(r);
}

bool P256Scalar::operator==(const P256Scalar& o) const { return constant_time_equal(be_, o.be_); }

// ---- points ----

P256Point::P256Point(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
P256Point::~P256Point() = default;
P256Point::P256Point(P256Point&&) noexcept = default;
P256Point& P256Point::operator=(P256Point&&) noexcept = default;

P256Point::P256Point(const P256Point& other)
    : impl_(std::make_unique<Impl>(EC_POINT_dup(other.impl_->point, group()))) {}

P256Point& P256Point::operator=(const P256Point& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(EC_POINT_dup(other.impl_->point, group()));
  return *this;
}

P256Point P256Point::generator() {
  return P256Point(std::make_unique<Impl>(EC_POINT_dup(EC_GROUP_get0_generator(group()), group())));
}

P256Point P256Point::base_mul(const P256Scalar& k) {
  HC_CHECK(!k.is_zero());
  BnCtx ctx;
  Bn scalar(k.bytes());
  auto impl = std::make_unique<Impl>(EC_POINT_new(group()));
  HC_CHECK(EC_POINT_mul(group(), impl->point, scalar.bn, nullptr, nullptr, ctx.ctx) == 1);
  return P256Point(std::move(impl));
}

Result<P256Point> P256Point::decode(ByteSpan bytes) {
  if (bytes.size() != kP256PointBytes || bytes[0] != 0x04) {
    return invalid_input("P-256 point must be 65 bytes 0x04 || X || Y");
  }
  BnCtx ctx;
  auto impl = std::make_unique<Impl>(EC_POINT_new(group()));
  if (EC_POINT_oct2point(group(), impl->point, bytes.data(), bytes.size(), ctx.ctx) != 1) {
    ERR_clear_error();
    return invalid_input("P-256 point is not on the curve");
  }
  return P256Point(std::move(impl));
}

P256Point P256Point::mul(const P256Scalar& k) const {
  BnCtx ctx;
  Bn scalar(k.bytes());
  auto impl = std::make_unique<Impl>(EC_POINT_new(group()));
  HC_CHECK(EC_POINT_mul(group(), impl->point, nullptr, impl_->point, scalar.bn, ctx.ctx) == 1);
  return P256Point(std::move(impl));
}

P256Point P256Point::operator+(const P256Point& o) const {
  BnCtx ctx;
  auto impl = std::make_unique<Impl>(EC_POINT_new(group()));
  HC_CHECK(EC_POINT_add(group(), impl->point, impl_->point, o.impl_->point, ctx.ctx) == 1);
  return P256Point(std::move(impl));
}

P256Point P256Point::operator-(const P256Point& o) const {
  BnCtx ctx;
  auto negated = std::make_unique<Impl>(EC_POINT_dup(o.impl_->point, group()));
  HC_CHECK(EC_POINT_invert(group(), negated->point, ctx.ctx) == 1);
  auto impl = std::make_unique<Impl>(EC_POINT_new(group()));
  HC_CHECK(EC_POINT_add(group(), impl->point, impl_->point, negated->point, ctx.ctx) == 1);
  return P256Point(std::move(impl));
}

bool P256Point::is_infinity() const { return EC_POINT_is_at_infinity(group(), impl_->point) == 1; }

bool P256Point::operator==(const P256Point& o) const {
  BnCtx ctx;
  int cmp = EC_POINT_cmp(group(), impl_->point, o.impl_->point, ctx.ctx);
  HC_CHECK(cmp >= 0);
  return cmp == 0;
}

P256PointBytes P256Point::encode() const {
  HC_CHECK(!is_infinity());
  BnCtx ctx;
  P256PointBytes out{};
  HC_CHECK(EC_POINT_point2oct(group(), impl_->point, POINT_CONVERSION_UNCOMPRESSED, out.data(),
                              out.size(), ctx.ctx) == out.size());
  return out;
}

std::array<std::uint8_t, 32> P256Point::x_coordinate() const {
  P256PointBytes encoded = encode();
  std::array<std::uint8_t, 32> x{};
  std::copy(encoded.begin() + 1, encoded.begin() + 33, x.begin());
  secure_wipe(encoded.data(), encoded.size());
  return x;
}

P256Scalar hash_to_p256_scalar(std::string_view domain, ByteSpan msg) {
  std::array<std::uint8_t, 64> wide{};
  for (std::uint8_t counter = 0; counter < 2; ++counter) {
    Bytes input;
    append_length_prefixed(input, as_bytes(domain));
    append_u8(input, counter);
    append_bytes(input, msg);
    Digest32 d = sha256(input);
    std::copy(d.begin(), d.end(), wide.begin() + 32 * counter);
  }
  return P256Scalar::reduce_wide(wide);
}

}  // namespace hc::crypto
