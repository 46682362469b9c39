"""Explanations (计算说明): how a figure was computed, so a clerk can explain it.

Every rule function returns its result together with an :class:`Explanation`: the rule in
words, the inputs, each parameter with the place it came from, and the steps taken.  Notes
say plainly what is estimated or assumed.  ``to_dict()`` gives plain JSON values (money as
strings with two decimals, months as ``YYYY-MM`` strings already written by the caller).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Round half-up to 0.01 (元, 分): done once, at the end of a computation."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def jsonable(value: Any) -> Any:
    """Plain JSON values: Decimal -> str, dates -> ISO text, dataclasses -> dicts."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Parameter:
    """One parameter used by a rule, with its source (出处)."""

    name: str
    value: Any
    source: str

    def to_dict(self) -> dict:
        return {"name": self.name, "value": jsonable(self.value), "source": self.source}


@dataclass
class Explanation:
    """How a figure was computed (计算说明)."""

    rule: str
    inputs: dict[str, Any] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is estimated, assumed or left out

    def param(self, name: str, value: Any, source: str) -> Any:
        """Record a parameter and return its value (so it reads inline)."""
        self.parameters.append(Parameter(name, value, source))
        return value

    def step(self, text: str) -> None:
        self.steps.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "inputs": jsonable(self.inputs),
            "parameters": [p.to_dict() for p in self.parameters],
            "steps": list(self.steps),
            "notes": list(self.notes),
        }
