"""The one place where `hepqa.eft` configures JAX.

Importing `hepqa.eft` turns on 64-bit floats (`jax_enable_x64`). Every number in the EFT core (α_s to 1e-9,
Wilson coefficients spanning 1e-12 to 1, Hessians with condition numbers of 1e4 and more) needs float64, and
JAX defaults to float32. The switch is process-wide: set it before creating any JAX array that should be
float64. `X64_ENABLED` records the state after import.
"""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

X64_ENABLED: bool = bool(jax.config.read("jax_enable_x64"))

__all__ = ["X64_ENABLED"]
