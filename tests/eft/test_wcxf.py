"""WCxf round trips and bad input (names, scales, types)."""

from __future__ import annotations

import json

import pytest

from hepqa.eft import UnknownOperatorError, WCxfError, match_zprime_bsll, read_wcxf, validate_wcxf, write_wcxf


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_wcxf_round_trip(tmp_path, suffix):
    vals = {k: v for k, v in match_zprime_bsll(2000.0, 0.001, 0.5, 0.0).items() if k != "CVLL_bsbs"}
    vals["C7_bs"] = complex(0.01, -0.02)
    p = write_wcxf(tmp_path / f"wc{suffix}", vals, eft="WET", basis="flavio", scale=4.8)
    back = read_wcxf(p)
    assert back["eft"] == "WET" and back["basis"] == "flavio" and back["scale"] == 4.8
    assert back["values"]["C7_bs"] == complex(0.01, -0.02)
    assert back["values"]["C9_bsmumu"] == pytest.approx(float(vals["C9_bsmumu"]), rel=1e-15)
    if suffix == ".json":
        assert json.loads(p.read_text())["values"]["C7_bs"] == {"Im": -0.02, "Re": 0.01}


def test_wcxf_bad_input(tmp_path):
    with pytest.raises(UnknownOperatorError, match=r"unknown operator name 'C9_bsmm'.*did you mean \['C9_bsmumu'"):
        validate_wcxf({"eft": "WET", "basis": "flavio", "scale": 4.8, "values": {"C9_bsmm": 1.0}})
    with pytest.raises(WCxfError, match="scale must be positive, got -3.0 GeV"):
        validate_wcxf({"eft": "WET", "basis": "flavio", "scale": -3.0, "values": {}})
    with pytest.raises(WCxfError, match=r"missing \['scale'\]"):
        validate_wcxf({"eft": "WET", "basis": "flavio", "values": {}})
    with pytest.raises(WCxfError, match="must be finite"):
        validate_wcxf({"eft": "WET", "basis": "flavio", "scale": 4.8, "values": {"C9_bsmumu": float("nan")}})
    bad = tmp_path / "bad.yaml"
    bad.write_text("eft: WET\nbasis: flavio\nscale: 4.8\nvalues: {C7_bs: text}\n")
    with pytest.raises(WCxfError, match="bad.yaml: values\\['C7_bs'\\] must be a number"):
        read_wcxf(bad)
    # unknown bases pass unless strict
    assert validate_wcxf({"eft": "WET-4", "basis": "JMS", "scale": 2.0, "values": {"x": 1}})["values"]["x"] == 1.0
    with pytest.raises(UnknownOperatorError, match="eft, basis"):
        validate_wcxf({"eft": "WET-4", "basis": "JMS", "scale": 2.0, "values": {}}, strict=True)
