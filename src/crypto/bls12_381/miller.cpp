// Line functions for the Miller loop (homogeneous projective coordinates on the twist).
#include "crypto/bls12_381/miller.h"

namespace hc::bls12_381 {

LineCoeffs line_double(Proj<Fp2>& t) {
  // Tangent at (X:Y:Z) on y^2 = x^3 + b': slope 3X^2 / (2YZ). Multiplying the line by
  // 2YZ^2 and using Y^2 Z = X^3 + b' Z^3 gives
  //   (Y^2 - 3 b' Z^2) + (-3 X^2) xp v + (2 Y Z) yp v w,
  // computed together with the doubling (Costello-Lange-Naehrig, homogeneous):
  //   X3 = XY/2 (Y^2 - 9b'Z^2), Y3 = ((Y^2 + 9b'Z^2)/2)^2 - 27 b'^2 Z^4, Z3 = 2 Y^3 Z.
  Fp2 a = fp2_half(t.x * t.y);
  Fp2 b = fp2_sqr(t.y);
  Fp2 c = fp2_sqr(t.z);
  Fp2 e = mul_b3(c);  // 3 b' Z^2
  Fp2 f = e + e + e;
  Fp2 g = fp2_half(b + f);
  Fp2 h = fp2_sqr(t.y + t.z) - (b + c);  // 2YZ
  Fp2 xx = fp2_sqr(t.x);
  Fp2 ee = fp2_sqr(e);
  LineCoeffs l{b - e, -(xx + xx + xx), h};
  t.x = a * (b - f);
  t.y = fp2_sqr(g) - (ee + ee + ee);
  t.z = b * h;
  return l;
}

LineCoeffs line_add(Proj<Fp2>& t, const Fp2& xq, const Fp2& yq) {
  // Chord through (X:Y:Z) and (xq, yq): theta = Y - yq Z, lambda = X - xq Z; the line
  // times lambda is (theta xq - lambda yq) + (-theta) xp v + lambda yp v w. The sum uses
  // the matching mixed-addition formulas (valid as T != +-Q inside the loop).
  Fp2 theta = t.y - yq * t.z;
  Fp2 lambda = t.x - xq * t.z;
  LineCoeffs l{theta * xq - lambda * yq, -theta, lambda};
  Fp2 c = fp2_sqr(theta);
  Fp2 d = fp2_sqr(lambda);
  Fp2 e = lambda * d;
  Fp2 f = t.z * c;
  Fp2 g = t.x * d;
  Fp2 h = e + f - (g + g);
  t.x = lambda * h;
  t.y = theta * (g - h) - t.y * e;
  t.z = t.z * e;
  return l;
}

}  // namespace hc::bls12_381
