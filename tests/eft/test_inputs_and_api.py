"""SM inputs file and the public API surface."""

from __future__ import annotations

import math

import pytest

import hepqa.eft as eft


def test_sm_inputs_have_sources_and_match_guide():
    """GUIDE §5 (PDG 2024): every entry has value, uncertainty, unit, source, tex, description."""
    data = eft.sm_inputs()
    assert data["G_F"]["value"] == 1.1663788e-5 and data["M_Z"]["value"] == 91.1880
    assert eft.sm_value("m_b") == 4.183 and eft.sm_value("M_H") == 125.20
    for entry in data.values():
        assert entry["source"] and entry["uncertainty"] >= 0
    # G_F/√2 = 1/(2v²), v = 246.22 GeV (GUIDE §5)
    assert 1 / math.sqrt(math.sqrt(2) * eft.sm_value("G_F")) == pytest.approx(246.22, abs=0.01)
    with pytest.raises(eft.EFTInputError, match="name must be one of"):
        eft.sm_value("m_top")


def test_public_api_is_pinned():
    """The public API is the explicit re-export list of `hepqa/eft/__init__.py`."""
    public = sorted(n for n in dir(eft) if not n.startswith("_"))
    assert issubclass(eft.FitError, eft.EFTError) and issubclass(eft.EFTError, ValueError)
    expected = {
        "alpha_s", "active_flavours", "running_mass", "nda_estimate", "Operator", "StrongSector",
        "WeakHeavyState", "run_linear", "evolution_matrix", "evolution_matrix_lo", "make_evolution_table",
        "match_zprime_bsll", "fit", "profile_scan", "fisher_analysis", "GaussianLikelihood", "read_wcxf",
        "write_wcxf", "sm_inputs",
    }
    assert expected <= set(public)
