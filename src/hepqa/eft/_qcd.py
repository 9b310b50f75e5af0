"""QCD constants: β-function and quark-mass anomalous-dimension coefficients, decoupling constants.

Normalisation: `a = α_s/(4π)`, `t = ln μ²`.

- β function: `da/dt = -(β0 a² + β1 a³ + β2 a⁴ + β3 a⁵)`; β0…β2 as in GUIDE §5, β3 from van Ritbergen,
  Vermaseren, Larin, hep-ph/9701390, Eq. (8) (converted to `a = α_s/4π`).
- Mass anomalous dimension: `d ln m/dt = -(γ0 a + γ1 a² + γ2 a³ + γ3 a⁴)`; γ3 from Vermaseren, Larin,
  van Ritbergen, hep-ph/9703284, Eq. (7) (same normalisation; γ0 = 4).
- α_s decoupling at μ = m_h(m_h) (MS-bar heavy mass), Chetyrkin, Kniehl, Steinhauser hep-ph/9708255,
  Eq. (27) at L = ln(μ²/m_h²) = 0:
  `α_s^(nl) = α_s^(nh) [1 + c2 A² + c3 A³]`, `A = α_s^(nh)/π`, `c1 = 0`, `c2 = 11/72`,
  `c3 = 564731/124416 − 82043/27648 ζ3 − 2633/31104 nl`.

All coefficients are polynomials in `nf`, so `nf` may be a traced float.
"""

from __future__ import annotations

ZETA3 = 1.2020569031595942
ZETA4 = 1.0823232337111382
ZETA5 = 1.0369277551433699

__all__ = ["ZETA3", "beta_coefficients", "gamma_m_coefficients", "decoupling_c2", "decoupling_c3"]


def beta_coefficients(nf):
    """(β0, β1, β2, β3) for `a = α_s/4π` with `nf` active flavours (hep-ph/9701390 Eq. (8))."""
    b0 = 11.0 - 2.0 * nf / 3.0
    b1 = 102.0 - 38.0 * nf / 3.0
    b2 = 2857.0 / 2.0 - 5033.0 * nf / 18.0 + 325.0 * nf**2 / 54.0
    b3 = (
        149753.0 / 6.0
        + 3564.0 * ZETA3
        - (1078361.0 / 162.0 + 6508.0 / 27.0 * ZETA3) * nf
        + (50065.0 / 162.0 + 6472.0 / 81.0 * ZETA3) * nf**2
        + 1093.0 / 729.0 * nf**3
    )
    return b0, b1, b2, b3


def gamma_m_coefficients(nf):
    """(γ0, γ1, γ2, γ3) of the MS-bar quark mass for `a = α_s/4π` (hep-ph/9703284 Eq. (7))."""
    g0 = 4.0
    g1 = 202.0 / 3.0 - 20.0 * nf / 9.0
    g2 = 1249.0 + (-2216.0 / 27.0 - 160.0 / 3.0 * ZETA3) * nf - 140.0 / 81.0 * nf**2
    g3 = (
        4603055.0 / 162.0
        + 135680.0 / 27.0 * ZETA3
        - 8800.0 * ZETA5
        + (-91723.0 / 27.0 - 34192.0 / 9.0 * ZETA3 + 880.0 * ZETA4 + 18400.0 / 9.0 * ZETA5) * nf
        + (5242.0 / 243.0 + 800.0 / 9.0 * ZETA3 - 160.0 / 3.0 * ZETA4) * nf**2
        + (-332.0 / 243.0 + 64.0 / 27.0 * ZETA3) * nf**3
    )
    return g0, g1, g2, g3


def decoupling_c2() -> float:
    """Two-loop α_s decoupling constant at μ = m_h(m_h) (hep-ph/9708255 Eq. (27), L = 0)."""
    return 11.0 / 72.0


def decoupling_c3(nl):
    """Three-loop α_s decoupling constant at μ = m_h(m_h) with `nl` light flavours (hep-ph/9708255 Eq. (27))."""
    return 564731.0 / 124416.0 - 82043.0 / 27648.0 * ZETA3 - 2633.0 / 31104.0 * nl
