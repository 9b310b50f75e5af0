"""WCxf import/export of coefficient sets (the Wilson coefficient exchange format, arXiv:1712.05298).

A WCxf document is a mapping with `eft`, `basis`, `scale` (GeV) and `values` (`name: number` or
`name: {Re: x, Im: y}`), written as YAML or JSON. Names are checked against the coefficients this core
produces for the (eft, basis) pairs it knows; other bases pass through unchecked unless `strict=True`.
"""

from __future__ import annotations

import difflib
import json
import math
from pathlib import Path

import yaml

from ._errors import UnknownOperatorError, WCxfError

__all__ = ["KNOWN_COEFFICIENTS", "wcxf_dict", "read_wcxf", "write_wcxf", "validate_wcxf"]

KNOWN_COEFFICIENTS: dict[tuple[str, str], frozenset] = {
    ("WET", "flavio"): frozenset({"C7_bs", "C8_bs", "C9_bsmumu", "C10_bsmumu", "C9_bsee", "C10_bsee",
                                  "CVLL_bsbs"}),
    ("WET", "JMS"): frozenset({"VddLL_2323", "V1ddLR_2323", "V8ddLR_2323", "SddRR_2323", "S1ddRR_2323",
                               "S8ddRR_2323", "VddLL_1212"}),
    ("SMEFT", "Warsaw"): frozenset({"lq1_2223", "lq3_2223", "qe_2322", "qq1_2323", "qq3_2323", "ll_2222",
                                    "phiBox", "phi"}),
}


def validate_wcxf(doc: dict, *, strict: bool = False) -> dict:
    """Check a WCxf mapping; return it normalised (values as float or complex, scale as float).

    **Raises:** `WCxfError` for missing/ill-typed fields or a non-positive scale; `UnknownOperatorError` for a
    name unknown in a known (eft, basis) (with close matches), or any basis when `strict=True` and unknown.
    """
    if not isinstance(doc, dict):
        raise WCxfError(f"WCxf document must be a mapping, got {type(doc).__name__}")
    missing = [k for k in ("eft", "basis", "scale", "values") if k not in doc]
    if missing:
        raise WCxfError(f"WCxf document must have eft, basis, scale and values; missing {missing}")
    eft, basis = str(doc["eft"]), str(doc["basis"])
    try:
        scale = float(doc["scale"])
    except (TypeError, ValueError) as exc:
        raise WCxfError(f"scale must be a number in GeV, got {doc['scale']!r}") from exc
    if not math.isfinite(scale):
        raise WCxfError(f"scale must be finite, got {scale} GeV")
    if scale <= 0:
        raise WCxfError(f"scale must be positive, got {scale} GeV")
    if not isinstance(doc["values"], dict):
        raise WCxfError(f"values must be a mapping name -> number, got {type(doc['values']).__name__}")
    known = KNOWN_COEFFICIENTS.get((eft, basis))
    if known is None and strict:
        raise UnknownOperatorError(f"(eft, basis) must be one of {sorted(KNOWN_COEFFICIENTS)}, got {(eft, basis)}")
    values = {}
    for name, v in doc["values"].items():
        if known is not None and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=3)
            raise UnknownOperatorError(
                f"unknown operator name {name!r} for eft={eft!r}, basis={basis!r}"
                + (f"; did you mean {close}?" if close else f"; known: {sorted(known)}")
            )
        if isinstance(v, dict):
            if set(v) - {"Re", "Im"}:
                raise WCxfError(f"values[{name!r}] must have keys Re/Im, got {sorted(v)}")
            val = complex(float(v.get("Re", 0.0)), float(v.get("Im", 0.0)))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            val = float(v)
        else:
            raise WCxfError(f"values[{name!r}] must be a number or {{Re, Im}}, got {v!r}")
        if not (math.isfinite(val.real) and math.isfinite(val.imag)):
            raise WCxfError(f"values[{name!r}] must be finite, got {v!r}")
        values[name] = val
    return {"eft": eft, "basis": basis, "scale": scale, "values": values}


def wcxf_dict(values: dict, *, eft: str, basis: str, scale: float, strict: bool = False) -> dict:
    """Build a validated WCxf mapping from `values` (floats, complex or JAX scalars); complex → {Re, Im}."""
    out = {}
    for k, v in values.items():
        c = complex(v)
        out[k] = c.real if c.imag == 0 else {"Re": c.real, "Im": c.imag}
    doc = {"eft": eft, "basis": basis, "scale": float(scale), "values": out}
    validate_wcxf(doc, strict=strict)
    return doc


def write_wcxf(path, values: dict, *, eft: str, basis: str, scale: float) -> Path:
    """Write a WCxf file; `.json` gives JSON, anything else YAML. Returns the path."""
    path = Path(path)
    doc = wcxf_dict(values, eft=eft, basis=basis, scale=scale)
    text = json.dumps(doc, indent=1, sort_keys=True) if path.suffix == ".json" else yaml.safe_dump(doc, sort_keys=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_wcxf(path, *, strict: bool = False) -> dict:
    """Read and validate a WCxf YAML/JSON file; errors name the file."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WCxfError(f"{path}: cannot read WCxf file: {exc}") from exc
    try:
        return validate_wcxf(doc, strict=strict)
    except WCxfError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
