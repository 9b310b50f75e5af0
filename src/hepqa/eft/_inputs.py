"""Standard-Model inputs with uncertainties and sources, from the packaged `sm_inputs.yaml` (flavio's habit)."""

from __future__ import annotations

from importlib import resources

import yaml

from ._errors import EFTInputError

__all__ = ["sm_inputs", "sm_value"]

_REQUIRED = {"value", "uncertainty", "unit", "source", "tex", "description"}


def sm_inputs() -> dict:
    """All SM inputs as `{name: {value, uncertainty, unit, source, tex, description}}` (masses in GeV)."""
    text = resources.files("hepqa.eft").joinpath("sm_inputs.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for name, entry in data.items():
        missing = _REQUIRED - set(entry)
        if missing:
            raise EFTInputError(f"sm_inputs.yaml: {name} must have {sorted(_REQUIRED)}, missing {sorted(missing)}")
    return data


def sm_value(name: str) -> float:
    """Central value of one SM input; raises `EFTInputError` naming the known inputs for an unknown name."""
    data = sm_inputs()
    if name not in data:
        raise EFTInputError(f"name must be one of {sorted(data)}, got {name!r}")
    return float(data[name]["value"])
