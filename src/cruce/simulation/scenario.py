"""Scenarios: which law, which months, which parameters — a strict YAML file.

```yaml
name: kelly-2017-as-applied          # an id: letters, digits, dashes
title: The 2017 guidance as it was applied
timeline: actual                     # or a hypothetical timeline's id
rules_frozen_at: null                # an instant: decide every month under the law then
start: 2016-10                       # first month (YYYY-MM)
months: 96                           # horizon
returns_to_mexico: mpp               # mpp | part_h_as_directed
mexico_acceptance: refused           # refused | 2019_terms | unlimited (part_h_as_directed)
port_capacity: 2019_ports            # 2019_ports | unlimited (part_h_as_directed)
hiring:                              # optional; default: the hiring directives as applied
  funded_from: 2017-10               # the directives' targets funded from this month on
  contract: as_delivered             # the Accenture contract: as_delivered | as_promised
replicates: 200
seed: 2017
inputs:
  encounters_by_year:                # fiscal years the shipped table lacks, or replaces
    2025:
      distribution: {kind: uniform, low: 200000, high: 600000}
      note: "assumption: ..."
parameters:                          # any of simulation/parameters.yaml
  return_uptake: {kind: triangular, low: 0.1, mode: 0.2, high: 0.3}
```

Every error names the file, the field and the valid choices.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cruce.engine.instants import parse_instant
from cruce.law.timeline import TimelineError, hypotheticals
from cruce.simulation.parameters import DISTRIBUTION_KINDS, Distribution, parameters
from cruce.simulation.pathways import instant_of

SCENARIO_DIRECTORY = "simulation/scenarios"


class ScenarioError(ValueError):
    """A scenario file that cannot be run, with the file and field named."""


class EncounterInput(BaseModel):
    """A fiscal year's southwest land border encounters, as a distribution, with its basis."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    distribution: Distribution
    note: str = Field(min_length=1)

    @model_validator(mode="after")
    def _positive(self) -> EncounterInput:
        low, _ = self.distribution.support()
        if low < 0 or self.distribution.mean() <= 0:
            raise ValueError("encounters must be a distribution of positive numbers")
        return self


class Inputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    encounters_by_year: dict[int, EncounterInput] = {}


class Hiring(BaseModel):
    """How the hiring directives are carried out: as applied (``funded_from`` empty), or their
    targets funded from a month on until the horizon; and the Accenture hiring contract as it
    performed or as it promised (docs/methods.md, "Hiring")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    funded_from: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    contract: Literal["as_delivered", "as_promised"] = "as_delivered"

    @property
    def funded_month(self) -> dt.date | None:
        if self.funded_from is None:
            return None
        year, month = map(int, self.funded_from.split("-"))
        return dt.date(year, month, 1)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    description: str = ""
    timeline: str = "actual"
    rules_frozen_at: dt.datetime | None = None
    start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    months: int = Field(ge=1, le=600)
    returns_to_mexico: Literal["mpp", "part_h_as_directed"] = "mpp"
    # Part H's two bounds (simulation/mpp.py): whether, and on what terms, Mexico takes
    # non-Mexicans while Part H alone applies; and what the ports can process.
    mexico_acceptance: Literal["refused", "2019_terms", "unlimited"] = "refused"
    port_capacity: Literal["2019_ports", "unlimited"] = "2019_ports"
    hiring: Hiring = Hiring()
    replicates: int = Field(default=200, ge=1, le=100_000)
    seed: int = Field(default=2017, ge=0)
    inputs: Inputs = Inputs()
    parameters: dict[str, Distribution] = {}

    @field_validator("rules_frozen_at", mode="before")
    @classmethod
    def _instant_value(cls, value):
        return None if value is None else parse_instant(value)

    @field_validator("timeline")
    @classmethod
    def _known_timeline(cls, value: str) -> str:
        valid = ["actual", *hypotheticals()]
        if value not in valid:
            raise ValueError(f"unknown timeline {value!r}; valid: {', '.join(valid)}")
        return value

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, value: dict) -> dict:
        for name, distribution in value.items():
            known = parameters()
            if name not in known:
                raise ValueError(f"unknown parameter {name!r}; valid: {', '.join(known)}")
            known[name].check(distribution, f"parameters.{name}")
        return value

    @model_validator(mode="after")
    def _part_h_bounds(self) -> Scenario:
        bounded = self.mexico_acceptance != "refused" or self.port_capacity != "2019_ports"
        if bounded and self.returns_to_mexico != "part_h_as_directed":
            raise ValueError(
                "mexico_acceptance and port_capacity bound Part H's returns: they need "
                "returns_to_mexico: part_h_as_directed"
            )
        return self

    @model_validator(mode="after")
    def _within_calendar(self) -> Scenario:
        year, month = map(int, self.start.split("-"))
        last = year + (month - 1 + self.months - 1) // 12
        if year < 1990 or last > 2199:
            raise ValueError(f"start {self.start} + {self.months} months leaves 1990–2199")
        return self

    @property
    def first_month(self) -> dt.date:
        year, month = map(int, self.start.split("-"))
        return dt.date(year, month, 1)

    def instants(self, months: list[dt.date]) -> list[dt.datetime]:
        """The instant each month is decided at (the frozen one, if the rules are frozen)."""
        if self.rules_frozen_at is not None:
            return [self.rules_frozen_at] * len(months)
        return [instant_of(m) for m in months]

    def distributions(self) -> dict[str, Distribution]:
        """Every parameter's distribution: the scenario's, else the default."""
        return {name: self.parameters.get(name, p.default) for name, p in parameters().items()}


def _field(location: tuple) -> str:
    return ".".join(str(part) for part in location if part not in DISTRIBUTION_KINDS)


def parse_scenario(data: object, source: str) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario is a mapping of fields")
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = item["msg"]
            if item["type"] == "extra_forbidden":
                valid = ", ".join(Scenario.model_fields)
                message = f"unknown field; valid: {valid}"
            if item["type"] == "union_tag_invalid":
                message = f"unknown distribution kind; valid: {', '.join(DISTRIBUTION_KINDS)}"
            problems.append(f"{source}: {_field(item['loc']) or '(top)'}: {message}")
        raise ScenarioError("\n".join(problems)) from None
    except TimelineError as error:
        raise ScenarioError(f"{source}: {error}") from None


def load_scenario(path_or_name: str | Path) -> Scenario:
    """A scenario from a YAML file, or a shipped scenario by name."""
    path = Path(path_or_name)
    if path.suffix in (".yaml", ".yml") or (str(path_or_name) and path.is_file()):
        if not path.is_file():
            raise ScenarioError(f"{path}: no such file")
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        shipped = shipped_scenarios()
        if str(path_or_name) not in shipped:
            raise ScenarioError(
                f"{path_or_name}: neither a YAML file nor a shipped scenario; shipped: "
                f"{', '.join(shipped)}"
            )
        text, source = shipped[str(path_or_name)], f"{SCENARIO_DIRECTORY}/{path_or_name}.yaml"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError(f"{source}: not valid YAML: {error}") from None
    except RecursionError:
        raise ScenarioError(f"{source}: nested too deeply to read") from None
    return parse_scenario(data, source)


def shipped_scenarios() -> dict[str, str]:
    """The scenarios shipped with Cruce: name → YAML text."""
    folder = resources.files("cruce").joinpath(SCENARIO_DIRECTORY)
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        match = re.fullmatch(r"(.+)\.yaml", entry.name)
        if match:
            found[match.group(1)] = entry.read_text(encoding="utf-8")
    return found
