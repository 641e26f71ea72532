// Line functions for the Miller loop (homogeneous projective coordinates on the twist).
#include "crypto/bls12_381/miller.h"

namespace hc::bls12_381 {

LineCoeffs line_double(Proj<Fp2>& t) {
  // Tangent at (X:Y:Z) on y^2 = x^3 + b': slope 3X^2 / (2YZ). Multiplying the line by
  // 2YZ^2 and using Y^2 Z = X^3 + b' Z^3 gives
  //   (Y^2 - 3 b' Z^2) + (-3 X^2) xp v + (2 Y Z) yp v w.
  Fp2 xx = fp2_sqr(t.x);
  Fp2 yy = fp2_sqr(t.y);
  Fp2 zz = fp2_sqr(t.z);
  Fp2 yz = t.y * t.z;
  LineCoeffs l{yy - mul_b3(zz), -(xx + xx + xx), yz + yz};
  t = proj_dbl(t);
  return l;
}

LineCoeffs line_add(Proj<Fp2>& t, const Fp2& xq, const Fp2& yq) {
  // Chord through (X:Y:Z) and (xq, yq): theta = Y - yq Z, lambda = X - xq Z; the line
  // times lambda is (theta xq - lambda yq) + (-theta) xp v + lambda yp v w.
  Fp2 theta = t.y - yq * t.z;
  Fp2 lambda = t.x - xq * t.z;
  LineCoeffs l{theta * xq - lambda * yq, -theta, lambda};
  t = proj_add(t, Proj<Fp2>{xq, yq, fp2_one()});
  return l;
}

}  // namespace hc::bls12_381
