"""The pipeline's parameters, read from ``parameters.yaml`` beside this module: each with a
distribution, a unit, the range a value may take, and its basis — the data rows its numbers come
from, a fit to FY2014–FY2018 (``fit``), an assumption and why (no shipped table measures it), or
a scenario lever.

A scenario overrides any of them by name (``scenario.py``); each replicate draws one value of
each from its distribution with the replicate's own random stream. The file is read on first
use and kept (``parameters()``).
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from cruce.simulation.data import Datum, one

PARAMETERS_FILE = Path(__file__).with_name("parameters.yaml")


class _Distribution(BaseModel):
    # NaN or infinity is no parameter value (judges_added_per_year: .inf emptied the backlog).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Fixed(_Distribution):
    kind: Literal["fixed"] = "fixed"
    value: float

    def draw(self, rng: np.random.Generator) -> float:
        return self.value

    def mean(self) -> float:
        return self.value

    def support(self) -> tuple[float, float]:
        return self.value, self.value


class Uniform(_Distribution):
    kind: Literal["uniform"] = "uniform"
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high {self.high} is below low {self.low}")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def mean(self) -> float:
        return (self.low + self.high) / 2

    def support(self) -> tuple[float, float]:
        return self.low, self.high


class Triangular(_Distribution):
    kind: Literal["triangular"] = "triangular"
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(f"need low <= mode <= high and low < high, got {self!r}")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.triangular(self.low, self.mode, self.high))

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def support(self) -> tuple[float, float]:
        return self.low, self.high


MIN_TRUNCATED_MASS = 0.01


class Normal(_Distribution):
    """A normal distribution truncated to [low, high] by redrawing."""

    kind: Literal["normal"] = "normal"
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)
    low: float = float("-inf")
    high: float = float("inf")

    @model_validator(mode="after")
    def _samplable(self) -> Normal:
        # Checked here, not in a worker mid-run: redrawing needs a fair share of the mass inside.
        if not self.low < self.high:
            raise ValueError(f"need low < high, got low {self.low} and high {self.high}")
        inside = self._cdf(self.high) - self._cdf(self.low)
        if inside < MIN_TRUNCATED_MASS:
            raise ValueError(
                f"normal(mean {self.mean_:g}, sd {self.sd:g}) puts {inside:.2g} of its draws in "
                f"[{self.low:g}, {self.high:g}]; at least {MIN_TRUNCATED_MASS:g} is needed — "
                "move the mean into the range or widen it"
            )
        return self

    def _cdf(self, x: float) -> float:
        return 0.5 * (1 + math.erf((x - self.mean_) / (self.sd * math.sqrt(2))))

    def draw(self, rng: np.random.Generator) -> float:
        # With at least MIN_TRUNCATED_MASS inside, 10,000 misses in a row has odds below 1e-40.
        for _ in range(10_000):
            value = rng.normal(self.mean_, self.sd)
            if self.low <= value <= self.high:
                return float(value)
        raise AssertionError("unreachable: the validator guarantees the range can be sampled")

    def mean(self) -> float:
        return self.mean_

    def support(self) -> tuple[float, float]:
        return self.low, self.high


Distribution = Annotated[Fixed | Uniform | Triangular | Normal, Field(discriminator="kind")]
DISTRIBUTION_KINDS = ("fixed", "uniform", "triangular", "normal")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    default: Fixed | Uniform | Triangular | Normal
    basis: str
    valid: tuple[float, float]  # the range any draw may take
    rows: tuple[Datum, ...] = ()

    def check(self, distribution: Fixed | Uniform | Triangular | Normal, where: str) -> None:
        """A distribution that can draw outside the valid range is an error naming it."""
        low, high = distribution.support()
        if low < self.valid[0] or high > self.valid[1]:
            raise ValueError(
                f"{where}: {self.name} ({self.unit}) must stay in [{self.valid[0]:g}, "
                f"{self.valid[1]:g}]; this distribution spans [{low:g}, {high:g}]"
            )


class _RowSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: str
    what: str
    where: dict[str, str]
    column: str = "value"  # the column holding the figure


class _ParameterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    unit: str
    valid: tuple[float, float]
    default: dict[str, float | str]
    data: str | None = None
    fitted: str | None = None
    assumption: str | None = None
    lever: str | None = None
    plausible: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> _ParameterSpec:
        kinds = ("data", "fitted", "assumption", "lever")
        given = [k for k in kinds if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one basis of {', '.join(kinds)}; got {given}")
        fixed = self.default.get("kind") == "fixed"
        if self.assumption is not None and fixed and self.plausible is None:
            raise ValueError("a fixed assumption states its plausible range: [low, high]")
        return self


class _ParametersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rows: dict[str, _RowSpec]
    parameters: dict[str, _ParameterSpec]


_DISTRIBUTION: TypeAdapter[Fixed | Uniform | Triangular | Normal] = TypeAdapter(Distribution)
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_OPERATORS[ast.Div] = operator.truediv
_FUNCTIONS = {"min": min, "max": max, "round": round}


def _evaluate(text: str, rows: dict[str, Datum], used: list[Datum]) -> float:
    """A number written as arithmetic over named data rows ("1 - polygraph_fail"); the rows it
    reads are appended to ``used``."""

    def value(node: ast.expr) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.Name) and node.id in rows:
            used.append(rows[node.id])
            return rows[node.id].value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS
            and not node.keywords
        ):
            return _FUNCTIONS[node.func.id](*(value(a) for a in node.args))
        raise ValueError(
            f"{ast.unparse(node)!r} is not a number, a row named under rows: "
            f"({', '.join(rows)}), + - * /, or min/max/round"
        )

    return float(value(ast.parse(text, mode="eval").body))


def _row(name: str, spec: _RowSpec) -> Datum:
    return one(
        spec.table,
        spec.what,
        lambda r: all(str(r[k]) == v for k, v in spec.where.items()),
        spec.column,
    )


def _parameter(name: str, spec: _ParameterSpec, rows: dict[str, Datum]) -> Parameter:
    used: list[Datum] = []
    fields = {
        k: v if k == "kind" or not isinstance(v, str) else _evaluate(v, rows, used)
        for k, v in spec.default.items()
    }
    default = _DISTRIBUTION.validate_python(fields)
    if spec.data is not None:
        basis = "data: " + spec.data.format(**{k: d.ref for k, d in rows.items()})
    elif spec.fitted is not None:
        basis = "fitted: " + spec.fitted
    elif spec.assumption is not None:
        basis = "assumption: no shipped table measures it; " + spec.assumption
    else:
        basis = str(spec.lever)
    parameter = Parameter(
        name, spec.description, spec.unit, default, basis, spec.valid, tuple(dict.fromkeys(used))
    )
    parameter.check(default, f"{PARAMETERS_FILE.name}: parameters.{name}.default")
    if spec.plausible is not None:
        parameter.check(Uniform(low=spec.plausible[0], high=spec.plausible[1]), name)
        if not spec.plausible[0] <= default.mean() <= spec.plausible[1]:
            raise ValueError(f"{name}: default {default.mean():g} is outside its plausible range")
    return parameter


def load_parameters(path: Path) -> dict[str, Parameter]:
    """Every parameter in ``path``; a bad entry is an error naming the file and the key."""
    try:
        spec = _ParametersFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        raise ValueError(
            "\n".join(
                f"{path.name}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
            )
        ) from None
    rows = {name: _row(name, row) for name, row in spec.rows.items()}
    found = {}
    for name, item in spec.parameters.items():
        try:
            found[name] = _parameter(name, item, rows)
        except (ValueError, ValidationError) as error:
            raise ValueError(f"{path.name}: parameters.{name}: {error}") from None
    return found


@cache
def parameters() -> dict[str, Parameter]:
    """The shipped parameters, read on first use."""
    return load_parameters(PARAMETERS_FILE)
