"""hepqa.eft: differentiable EFT core in JAX (float64).

Power counting (NDA, SILH), MS-bar α_s and quark-mass running, linear RG evolution of Wilson coefficients,
tree-level matching, Gaussian likelihoods and fits, and WCxf exchange. Importing this package turns on JAX
float64 (see `_config.py`, the one place that does). This file is the public API: explicit re-exports only.
It imports nothing from the rest of `hepqa`.
"""

from . import _config  # noqa: F401  (x64 on import)
from ._alpha_s import active_flavours as active_flavours, alpha_s as alpha_s
from ._errors import (
    EFTError as EFTError,
    EFTInputError as EFTInputError,
    FitError as FitError,
    RunningError as RunningError,
    UnknownOperatorError as UnknownOperatorError,
    WCxfError as WCxfError,
)
from ._quark_mass import running_mass as running_mass
from ._nda import (
    NDAEstimate as NDAEstimate,
    NDAResult as NDAResult,
    Operator as Operator,
    StrongSector as StrongSector,
    WeakHeavyState as WeakHeavyState,
    nda_estimate as nda_estimate,
    strong_sector_georgi as strong_sector_georgi,
    strong_sector_nda as strong_sector_nda,
    strong_sector_silh as strong_sector_silh,
)
from ._adm_bsll import BSLL_OPERATORS as BSLL_OPERATORS, GAMMA0_BSLL as GAMMA0_BSLL, gamma_bsll as gamma_bsll
from ._adm_deltaf2 import (
    DELTAF2_OPERATORS as DELTAF2_OPERATORS,
    GAMMA0_DELTAF2 as GAMMA0_DELTAF2,
    gamma_deltaf2 as gamma_deltaf2,
)
from ._evolution_table import EvolutionTable as EvolutionTable, make_evolution_table as make_evolution_table
from ._rge import (
    evolution_matrix as evolution_matrix,
    evolution_matrix_lo as evolution_matrix_lo,
    flavour_segments as flavour_segments,
    run_linear as run_linear,
)
from ._matching import (
    bsll_normalisation as bsll_normalisation,
    match_scalar_singlet as match_scalar_singlet,
    match_u1_leptoquark as match_u1_leptoquark,
    match_zprime_bsll as match_zprime_bsll,
    match_zprime_smeft as match_zprime_smeft,
    smeft_to_wet_bsll as smeft_to_wet_bsll,
    zprime_current_coefficient as zprime_current_coefficient,
)
from ._fit import (
    RESULTS as RESULTS,
    FisherAnalysis as FisherAnalysis,
    FitResult as FitResult,
    fisher_analysis as fisher_analysis,
    fit as fit,
    fit_least_squares as fit_least_squares,
    profile_scan as profile_scan,
)
from ._likelihood import (
    GaussianConstraint as GaussianConstraint,
    GaussianLikelihood as GaussianLikelihood,
    constrained_nll as constrained_nll,
)
from ._wcxf import (
    KNOWN_COEFFICIENTS as KNOWN_COEFFICIENTS,
    read_wcxf as read_wcxf,
    validate_wcxf as validate_wcxf,
    wcxf_dict as wcxf_dict,
    write_wcxf as write_wcxf,
)
from ._inputs import sm_inputs as sm_inputs, sm_value as sm_value

__all__ = [
    "BSLL_OPERATORS",
    "DELTAF2_OPERATORS",
    "EFTError",
    "EFTInputError",
    "EvolutionTable",
    "FisherAnalysis",
    "FitError",
    "FitResult",
    "GAMMA0_BSLL",
    "GAMMA0_DELTAF2",
    "GaussianConstraint",
    "GaussianLikelihood",
    "KNOWN_COEFFICIENTS",
    "NDAEstimate",
    "NDAResult",
    "Operator",
    "RESULTS",
    "RunningError",
    "StrongSector",
    "UnknownOperatorError",
    "WCxfError",
    "WeakHeavyState",
    "active_flavours",
    "alpha_s",
    "bsll_normalisation",
    "constrained_nll",
    "evolution_matrix",
    "evolution_matrix_lo",
    "fisher_analysis",
    "fit",
    "fit_least_squares",
    "flavour_segments",
    "gamma_bsll",
    "gamma_deltaf2",
    "make_evolution_table",
    "match_scalar_singlet",
    "match_u1_leptoquark",
    "match_zprime_bsll",
    "match_zprime_smeft",
    "nda_estimate",
    "profile_scan",
    "read_wcxf",
    "run_linear",
    "running_mass",
    "sm_inputs",
    "sm_value",
    "smeft_to_wet_bsll",
    "strong_sector_georgi",
    "strong_sector_nda",
    "strong_sector_silh",
    "validate_wcxf",
    "wcxf_dict",
    "write_wcxf",
    "zprime_current_coefficient",
]
