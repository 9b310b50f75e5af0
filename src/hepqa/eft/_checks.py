"""Argument checks that work both eagerly and inside `jax.jit`.

Eagerly (concrete values) a failed check raises an `EFTInputError` whose message names the argument and the
value, e.g. "mu must be positive, got -3.0 GeV". Under a JAX transformation the value is a tracer; the check
then goes through `equinox.error_if`, which raises at run time with the same rule (without the value).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import equinox as eqx
import numpy as np

from ._errors import EFTInputError

__all__ = ["is_concrete", "check_finite", "check_positive", "check_in_range", "check_int_choice"]


def is_concrete(*xs) -> bool:
    """True when no argument is (or contains) a JAX tracer."""
    return not any(isinstance(leaf, jax.core.Tracer) for x in xs for leaf in jax.tree_util.tree_leaves(x))


def _fmt(x, unit: str) -> str:
    arr = np.asarray(x)
    text = f"{arr.item()!r}" if arr.size == 1 else np.array2string(arr, precision=6, threshold=8)
    return f"{text} {unit}".rstrip()


def check_finite(x, name: str, unit: str = ""):
    """Return `x` as a float64 (complex128 if complex) array after checking every element is finite."""
    x = jnp.asarray(x)
    # An explicit target dtype: promote_types(complex128, float64) is refused under strict dtype promotion.
    x = x.astype(jnp.complex128 if jnp.issubdtype(x.dtype, jnp.complexfloating) else jnp.float64)
    if is_concrete(x):
        if not bool(np.all(np.isfinite(np.asarray(x)))):
            raise EFTInputError(f"{name} must be finite, got {_fmt(x, unit)}")
        return x
    return eqx.error_if(x, ~jnp.all(jnp.isfinite(x)), f"{name} must be finite (got NaN or inf)")


def check_positive(x, name: str, unit: str = "GeV"):
    """Return `x` after checking that it is finite and strictly positive."""
    x = check_finite(x, name, unit)
    if is_concrete(x):
        if not bool(np.all(np.asarray(x) > 0)):
            raise EFTInputError(f"{name} must be positive, got {_fmt(x, unit)}")
        return x
    return eqx.error_if(x, ~jnp.all(x > 0), f"{name} must be positive")


def check_in_range(x, name: str, lo: float, hi: float, unit: str = "GeV", *, why: str = ""):
    """Return `x` after checking `lo <= x <= hi` (both finite checks included)."""
    x = check_finite(x, name, unit)
    suffix = f" ({why})" if why else ""
    if is_concrete(x):
        if not bool(np.all((np.asarray(x) >= lo) & (np.asarray(x) <= hi))):
            raise EFTInputError(f"{name} must be in [{lo:g}, {hi:g}] {unit}{suffix}, got {_fmt(x, unit)}")
        return x
    return eqx.error_if(x, ~jnp.all((x >= lo) & (x <= hi)), f"{name} must be in [{lo:g}, {hi:g}] {unit}{suffix}")


def check_int_choice(value, name: str, choices) -> int:
    """Check a static (Python) integer option against its allowed values."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) not in choices:
        raise EFTInputError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return int(value)
