r"""Power counting: naive dimensional analysis (NDA) and its two-scale versions.

NDA here is **naive dimensional analysis** (Manohar & Georgi, Nucl. Phys. B234 (1984) 189), in the
generalised form of Gavela, Jenkins, Manohar, Merlo (arXiv:1601.07551, Eq. (2.6)):

    L ≐ (Λ⁴/16π²) L̂[∂/Λ, 4πφ/Λ, 4πA/Λ, 4πψ/Λ^{3/2}, g/4π, y/4π, λ/16π²].

Georgi's two-parameter version (hep-ph/9207278, Eq. (3)) replaces 4π/Λ by 1/f for the fields:
`L ≐ f²Λ² L̂[∂/Λ, φ/f, A/f, ψ/(f√Λ), g f/Λ, y f/Λ, λ f²/Λ²]`, which is NDA at Λ = 4πf. SILH
(Giudice, Grojean, Pomarol, Rattazzi hep-ph/0703164, Eq. (2)) is the same with Λ = m*, f = m*/g*:
`L = (m*⁴/g*²) L̂(g*H/m*, ∂/m*)`. A weakly coupled heavy state of mass M and coupling g gives, at L loops,
`g^n/(16π²)^L / M^{d−4}` with n = N − 2 + 2L couplings by default (N = number of fields): g²/M² for a
tree-level four-fermion operator (GUIDE §5).

Counting for an operator with N_φ scalars, N_ψ fermions, N_X field strengths, N_D extra derivatives and N_A bare
gauge fields (X counts as one gauge field and one derivative), dimension d = N_φ + 3N_ψ/2 + 2N_X + N_D + N_A,
N = N_φ + N_ψ + N_X + N_A, explicit couplings c_i to powers p_i with loop weight k_i (1 for g, y; 2 for λ):

    strong sector (f, g* ; m* = g* f):  coefficient = g*^{N−2} Π (c_i/g*^{k_i})^{p_i} / m*^{d−4}
    weak heavy state (M, g, L loops):   coefficient = g^{n} (16π²)^{−L} Π c_i^{p_i} / M^{d−4}

Coefficients are in GeV^{−(d−4)} (the coefficient of the operator in L); the dimensionless `C` is
coefficient × Λ^{d−4} with the Λ stated in the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._checks import check_finite, check_positive, is_concrete
from ._errors import EFTInputError

__all__ = ["Operator", "StrongSector", "WeakHeavyState", "NDAEstimate", "NDAResult", "nda_estimate",
           "strong_sector_nda", "strong_sector_georgi", "strong_sector_silh"]

FOUR_PI = 4.0 * math.pi
_LOOP_WEIGHT = {"g": 1, "y": 1, "lambda": 2}


class Operator(eqx.Module):
    """Field content of an operator (all counts static).

    **Arguments:** `n_scalars` (Higgs-like fields φ), `n_fermions` (ψ), `n_field_strengths` (X), `n_derivatives`
    (D beyond those inside X), `n_gauge_fields` (bare A, rarely needed), `couplings`: explicit couplings the
    operator carries as `(name, power, loop_weight)` with loop weight 1 (gauge g, Yukawa y) or 2 (quartic λ),
    and `name` for display. Example: the dipole ψ̄σψφX with one gauge coupling is
    `Operator(n_fermions=2, n_scalars=1, n_field_strengths=1, couplings=(("g", 1, 1),), name="dipole")`.
    """

    n_scalars: int = eqx.field(static=True, default=0)
    n_fermions: int = eqx.field(static=True, default=0)
    n_field_strengths: int = eqx.field(static=True, default=0)
    n_derivatives: int = eqx.field(static=True, default=0)
    n_gauge_fields: int = eqx.field(static=True, default=0)
    couplings: tuple = eqx.field(static=True, default=())
    name: str = eqx.field(static=True, default="")

    def __check_init__(self):
        counts = dict(n_scalars=self.n_scalars, n_fermions=self.n_fermions,
                      n_field_strengths=self.n_field_strengths, n_derivatives=self.n_derivatives,
                      n_gauge_fields=self.n_gauge_fields)
        for key, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise EFTInputError(f"Operator {key} must be a non-negative integer, got {value!r}")
        if self.n_fermions % 2:
            raise EFTInputError(f"Operator n_fermions must be even (Lorentz invariance), got {self.n_fermions}")
        for entry in self.couplings:
            if len(entry) != 3 or entry[2] not in (1, 2):
                raise EFTInputError(f"Operator couplings entries must be (name, power, loop_weight 1|2), got {entry!r}")

    @property
    def dimension(self) -> float:
        """Mass dimension d of the operator."""
        return (self.n_scalars + 1.5 * self.n_fermions + 2 * self.n_field_strengths + self.n_derivatives
                + self.n_gauge_fields)

    @property
    def n_fields(self) -> int:
        """N: number of fields (each field strength counts as one gauge field)."""
        return self.n_scalars + self.n_fermions + self.n_field_strengths + self.n_gauge_fields


class StrongSector(eqx.Module):
    """A strongly coupled sector with decay constant `f` (GeV) and coupling `g_star` (m* = g* f).

    Built by `strong_sector_silh(m_star, g_star)`, `strong_sector_georgi(f, Lambda)` or
    `strong_sector_nda(Lambda)` (maximal coupling g* = 4π, Λ = 4πf).
    """

    f: jax.Array
    g_star: jax.Array
    name: str = eqx.field(static=True, default="strong sector")

    def __check_init__(self):
        check_positive(self.f, "StrongSector f")
        check_positive(self.g_star, "StrongSector g_star", "")

    @property
    def scale(self):
        """m* = g* f in GeV (Λ in Georgi's counting)."""
        return self.g_star * self.f


class WeakHeavyState(eqx.Module):
    """A weakly coupled heavy particle of mass `mass` (GeV) and coupling `coupling`, generating the operator at
    `loops` loops with `n_couplings` powers of the coupling (default N − 2 + 2·loops)."""

    mass: jax.Array
    coupling: jax.Array
    loops: int = eqx.field(static=True, default=0)
    n_couplings: int | None = eqx.field(static=True, default=None)
    name: str = eqx.field(static=True, default="heavy state")

    def __check_init__(self):
        check_positive(self.mass, "WeakHeavyState mass")  # raises eagerly (a traced value is checked by users)
        check_finite(self.coupling, "WeakHeavyState coupling", "")
        if self.loops < 0:
            raise EFTInputError(f"WeakHeavyState loops must be >= 0, got {self.loops}")

    @property
    def scale(self):
        return self.mass


def strong_sector_silh(m_star, g_star, *, name: str = "SILH sector") -> StrongSector:
    """SILH counting (hep-ph/0703164 Eq. (2)): heavy mass `m_star` in GeV, coupling `g_star`; f = m*/g*."""
    m_star = check_positive(m_star, "m_star")
    g_star = check_positive(g_star, "g_star", "")
    return StrongSector(f=m_star / g_star, g_star=g_star, name=name)


def strong_sector_georgi(f, Lambda, *, name: str = "Georgi sector") -> StrongSector:
    """Georgi's generalised dimensional analysis (hep-ph/9207278): `f` and `Lambda` in GeV, g* = Λ/f."""
    f = check_positive(f, "f")
    Lambda = check_positive(Lambda, "Lambda")
    return StrongSector(f=f, g_star=Lambda / f, name=name)


def strong_sector_nda(Lambda, *, name: str = "NDA (Manohar-Georgi)") -> StrongSector:
    """Naive dimensional analysis at maximal coupling: Λ in GeV, f = Λ/4π (Manohar–Georgi 1984)."""
    Lambda = check_positive(Lambda, "Lambda")
    return StrongSector(f=Lambda / FOUR_PI, g_star=jnp.asarray(FOUR_PI), name=name)


class NDAEstimate(eqx.Module):
    """Estimate from one source.

    Fields: `coefficient` (GeV^{−(d−4)}), `C` (dimensionless, = coefficient × Λ^{d−4}), `Lambda` (GeV, the Λ
    used for `C`), `factors` (named factors whose product is `coefficient`), `powers` (static exponents:
    of g* or g, of the loop factor 16π², of the scale), `source`, `dimension`.
    """

    coefficient: jax.Array
    C: jax.Array
    Lambda: jax.Array
    factors: dict
    powers: dict = eqx.field(static=True)
    source: str = eqx.field(static=True)
    dimension: float = eqx.field(static=True)


class NDAResult(eqx.Module):
    """Estimates from every source and which one dominates (largest |coefficient|).

    `dominant_index` is an int array (works under jit); `dominant` gives the source name eagerly.
    """

    estimates: tuple
    dominant_index: jax.Array
    operator: Operator

    @property
    def dominant(self) -> NDAEstimate:
        if not is_concrete(self.dominant_index):
            raise EFTInputError("NDAResult.dominant needs concrete values; use dominant_index inside jit")
        return self.estimates[int(self.dominant_index)]

    @property
    def coefficient(self):
        """Coefficient of the dominant source, GeV^{−(d−4)}."""
        return jnp.stack([e.coefficient for e in self.estimates])[self.dominant_index]


def _coupling_product(op: Operator, couplings: Mapping, divide_by=None):
    prod = jnp.asarray(1.0)
    for cname, power, weight in op.couplings:
        if cname not in couplings:
            raise EFTInputError(
                f"couplings must give a value for {cname!r} (operator {op.name or op}), got keys {sorted(couplings)}"
            )
        c = jnp.asarray(couplings[cname], dtype=jnp.float64)
        prod = prod * (c / divide_by**weight if divide_by is not None else c) ** power
    return prod


def _estimate_one(op: Operator, src, couplings: Mapping, Lambda) -> NDAEstimate:
    d = op.dimension
    N = op.n_fields
    if isinstance(src, StrongSector):
        gpow = N - 2
        strength = src.g_star ** gpow
        explicit = _coupling_product(op, couplings, divide_by=src.g_star)
        loop = jnp.asarray(1.0)
        lpow = 0
    elif isinstance(src, WeakHeavyState):
        gpow = src.n_couplings if src.n_couplings is not None else max(N - 2 + 2 * src.loops, 0)
        strength = src.coupling ** gpow
        explicit = _coupling_product(op, couplings)
        lpow = src.loops
        loop = jnp.asarray((16 * math.pi**2) ** (-lpow))
    else:
        raise EFTInputError(f"sources must be StrongSector or WeakHeavyState, got {type(src).__name__}")
    scale = src.scale
    scale_factor = scale ** (-(d - 4))
    coefficient = strength * explicit * loop * scale_factor
    lam = scale if Lambda is None else jnp.asarray(Lambda, dtype=jnp.float64)
    factors = {"coupling_strength": strength, "explicit_couplings": explicit, "loop_factor": loop,
               "scale_factor": scale_factor}
    powers = {"coupling": gpow, "inverse_16pi2": lpow, "scale": -(d - 4)}
    return NDAEstimate(coefficient=coefficient, C=coefficient * lam ** (d - 4), Lambda=lam, factors=factors,
                       powers=powers, source=src.name, dimension=d)


def nda_estimate(operator: Operator, sources: Sequence, *, couplings: Mapping | None = None, Lambda=None):
    r"""Estimate an operator's coefficient from each source and name the dominant one.

    **Arguments:**

    - `operator`: the field content (`Operator`).
    - `sources`: a sequence of `StrongSector` / `WeakHeavyState` (or a single one).
    - `couplings`: values of the explicit couplings the operator carries, by name (e.g. `{"g": 0.65}`).
    - `Lambda`: the scale in GeV used for the dimensionless `C = coefficient × Λ^{d−4}`; default: each source's
      own scale (m* or M).

    **Returns:** `NDAResult` with one `NDAEstimate` per source (coefficient in GeV^{−(d−4)}, `C`, factor
    breakdown) and `dominant_index` / `dominant` (largest |coefficient|). Works under `eqx.filter_jit` and is
    differentiable (`eqx.filter_grad`) with respect to scales and couplings.

    **Raises:** `EFTInputError` for an unknown source type, a missing coupling value, non-positive scales.

    Example (GUIDE §5): a four-fermion operator is 16π²/Λ² at strong coupling and g²/M² from a heavy vector:

    ```python
    >>> from hepqa.eft import Operator, nda_estimate, strong_sector_nda, WeakHeavyState
    >>> r = nda_estimate(Operator(n_fermions=4), [strong_sector_nda(100_000.0), WeakHeavyState(3000.0, 1.0)])
    >>> r.dominant.source
    'heavy state'
    ```
    """
    if isinstance(sources, (StrongSector, WeakHeavyState)):
        sources = [sources]
    if not sources:
        raise EFTInputError("sources must contain at least one StrongSector or WeakHeavyState, got none")
    couplings = dict(couplings or {})
    if Lambda is not None:
        Lambda = check_positive(Lambda, "Lambda")
    estimates = tuple(_estimate_one(operator, s, couplings, Lambda) for s in sources)
    mags = jnp.stack([jnp.abs(e.coefficient) for e in estimates])
    return NDAResult(estimates=estimates, dominant_index=jnp.argmax(mags), operator=operator)
