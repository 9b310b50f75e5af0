"""Exceptions raised by `hepqa.eft`.

All of them derive from `EFTError(ValueError)`, so callers can catch one class. Messages follow the form
"<argument> must <X>, got <Y>" and name the argument (and the unit where there is one). Inside `jax.jit` the
same checks run through `equinox.error_if` and surface as `equinox.EquinoxRuntimeError` /
`jax.errors.JaxRuntimeError` carrying the same message (values are not known at trace time, so the message
then names the argument and the rule, not the value).
"""

from __future__ import annotations

__all__ = ["EFTError", "EFTInputError", "FitError", "RunningError", "UnknownOperatorError", "WCxfError"]


class EFTError(ValueError):
    """Base class of every expected failure in the EFT core."""


class EFTInputError(EFTError):
    """An argument is outside its domain (negative mass, NaN, scale outside a model's range, bad option)."""


class UnknownOperatorError(EFTInputError):
    """An operator or coefficient name is not known in the stated EFT and basis."""


class RunningError(EFTError):
    """Renormalisation-group running failed (Landau pole reached, ODE solver did not finish)."""


class FitError(EFTError):
    """A fit or profile did not converge (raised only with `throw=True`)."""


class WCxfError(EFTInputError):
    """A WCxf document is malformed (missing eft/basis/scale/values, bad value type)."""
