"""Schema (pydantic, `extra="forbid"`) of the worked-example specs in `kb/examples/<slug>.yaml`.

Every number that comes from a measurement, a lattice computation or a paper is a `Quantity` with a
non-empty `source` (arXiv id, or PDG edition + table). Numbers that are choices of the example (benchmark
couplings, scan ranges, pseudo-data) are `Quantity` too, with `source` saying "benchmark choice" or
"illustrative pseudo-data": the page prints every source next to its number.

Load with `load_spec(path)`: errors name the file, line and field (`hepqa._yaml.load_validated`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from hepqa._yaml import load_validated

__all__ = ["Quantity", "ExampleSpec", "load_spec", "ANSWER_SLUGS"]

ANSWER_SLUGS = Literal[
    "nda-competing-scales",
    "degeneracies-gradient-descent",
    "rg-matching-vs-threshold-corrections",
    "neural-networks-scale-hierarchies",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(_Strict):
    """A number with its unit and source. `value` in `unit` (GeV for masses and scales)."""

    value: float
    unit: str = Field(min_length=1)
    source: str = Field(min_length=3)
    uncertainty: float | None = None
    tex: str | None = None


class QCDInputs(_Strict):
    """α_s^(5)(M_Z) and the MS-bar thresholds m_q(m_q) (GeV) used for all running in an example."""

    alpha_s_MZ: Quantity
    M_Z: Quantity
    m_b: Quantity
    m_c: Quantity
    m_t: Quantity | None = None  # MS-bar m_t(m_t); None: no 6-flavour region
    loops: int = Field(default=4, ge=1, le=4)


class _Base(_Strict):
    title: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    supports: list[ANSWER_SLUGS] = Field(min_length=1)
    supports_questions: list[str] = Field(min_length=1)  # question texts, same order as `supports`
    intro: str = Field(min_length=3)  # authored Markdown shown at the top of the page
    discussion: str = ""  # authored Markdown shown after the results
    qcd: QCDInputs


# ---------------------------------------------------------------- 1. NDA with competing scales
class NDAOperator(_Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    tex: str
    description: str
    n_scalars: int = Field(default=0, ge=0)
    n_fermions: int = Field(default=0, ge=0)
    n_field_strengths: int = Field(default=0, ge=0)
    n_derivatives: int = Field(default=0, ge=0)
    couplings: list[tuple[str, int, Literal[1, 2]]] = []
    zprime_loops: int = Field(default=0, ge=0, le=2)
    zprime_n_couplings: int | None = Field(default=None, ge=0)
    running: Literal["none", "deltaf2_vll", "dipole_c7"] = "none"


class NDASpec(_Base):
    kind: Literal["nda-competing-scales"]
    f: Quantity
    g_star: Quantity
    zprime_mass: Quantity
    zprime_coupling: Quantity
    couplings: dict[str, Quantity]  # explicit couplings the operators carry (e.g. the SM gauge coupling g)
    scan_M_over_f: tuple[float, float]
    low_scale: Quantity
    operators: list[NDAOperator] = Field(min_length=1)


# ---------------------------------------------------------------- 2. ΔF = 2 bounds
class MixingConstraint(_Strict):
    part: Literal["Re", "Im"]
    observable: str
    delta_m: Quantity  # GeV; allowed |M12^NP| (Re or Im part) = delta_m/2 × product(factors)
    factors: list[Quantity] = []


class Meson(_Strict):
    key: Literal["K", "Bd", "Bs", "D"]
    tex: str
    operator_tex: str  # flavour content, e.g. "\\bar s d"
    mass: Quantity
    decay_constant: Quantity
    mu_had: Quantity
    quark_masses: tuple[Quantity, Quantity]  # MS-bar masses of the two valence quarks
    quark_mass_scales: tuple[Quantity, Quantity]  # scale (GeV) at which each mass is given
    quark_mass_nf: int = Field(ge=3, le=5)  # flavour scheme for running the masses to mu_had
    bag: tuple[Quantity, Quantity, Quantity, Quantity, Quantity]  # B1..B5 at mu_had (MS-bar)
    constraints: list[MixingConstraint] = Field(min_length=1)


class PublishedBound(_Strict):
    meson: Literal["K", "Bd", "Bs", "D"]
    operator: Literal["Q1", "Q2", "Q3", "Q4", "Q5"]
    part: Literal["Re", "Im"]
    Lambda: Quantity  # TeV, for |c| = 1
    factor: float = Field(gt=1)  # our bound on Λ must agree within this factor


class DeltaF2Spec(_Base):
    kind: Literal["deltaf2-bounds"]
    reference_Lambda: Quantity  # scale (GeV) for the bounds on |c|
    mesons: list[Meson] = Field(min_length=1)
    published: list[PublishedBound] = []


# ---------------------------------------------------------------- 3. matching-scale fit
class MatchingSpec(_Base):
    kind: Literal["matching-scale-fit"]
    zprime_mass: Quantity
    G_F: Quantity
    alpha_em: Quantity
    Vtb_Vts: Quantity
    M_W: Quantity
    mt_MSbar: Quantity  # m_t(m_t) for S0(x_t)
    C9_NP: Quantity  # measured C9 = −C10 (NP), with uncertainty
    dms_ratio: Quantity  # Δm_s^exp/Δm_s^SM with uncertainty
    ln_muM_sigma: Quantity  # width of the Gaussian constraint on ln(μ_M/M)
    g_sb_range: tuple[float, float]
    g_mu_range: tuple[float, float]
    grid: int = Field(default=121, ge=11, le=401)


# ---------------------------------------------------------------- 4. degeneracy
class DegeneracySpec(_Base):
    kind: Literal["degeneracy"]
    M1: Quantity
    M2: Quantity
    low_scale: Quantity
    truth: tuple[float, float]  # (c1, c2) used to make the pseudo-data
    sigma_C2: Quantity  # TeV^-2
    sigma_C3: Quantity  # TeV^-2
    starts: list[tuple[float, float]] = Field(min_length=1)
    learning_rate_fraction: float = Field(default=0.9, gt=0, lt=2)
    steps: int = Field(default=400, ge=10, le=20000)


# ---------------------------------------------------------------- 5. α_s thresholds
class AlphaSSpec(_Base):
    kind: Literal["alpha-s-thresholds"]
    mu_high: Quantity
    mu_low: Quantity
    n_points: int = Field(default=60, ge=10, le=400)
    fd_step: float = Field(default=1e-5, gt=0)


ExampleSpec = Union[NDASpec, DeltaF2Spec, MatchingSpec, DegeneracySpec, AlphaSSpec]
_MODELS = {m.model_fields["kind"].annotation.__args__[0]: m
           for m in (NDASpec, DeltaF2Spec, MatchingSpec, DegeneracySpec, AlphaSSpec)}


class _KindOnly(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal[tuple(_MODELS)]  # type: ignore[valid-type]


def load_spec(path: Path) -> ExampleSpec:
    """Validate `path` as an example spec, choosing the model by its `kind`.

    **Raises:** `AnswerError` with one line per problem, `file:line: field: message` (e.g.
    `kb/examples/x.yaml:7: f.source: Field required`).
    """
    kind = load_validated(path, _KindOnly).kind
    return load_validated(path, _MODELS[kind])
