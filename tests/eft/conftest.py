"""Test configuration for `hepqa.eft`: float64, strict dtype promotion, rank promotion raises.

x64 is switched on by importing `hepqa.eft` (its one documented place, `_config.py`); it is repeated here so the
tests do not depend on import order. Strict promotion makes silent int/float32 mixing and silent broadcasting
fail the tests (equinox's habit).
"""

from __future__ import annotations

import jax
import pytest

jax.config.update("jax_enable_x64", True)

import hepqa.eft  # noqa: E402,F401  (x64 switch lives there)


@pytest.fixture(autouse=True)
def _strict_jax():
    with jax.numpy_dtype_promotion("strict"), jax.numpy_rank_promotion("raise"):
        yield
