"""Which unknown facts an undecided outcome depends on, for many rows at once.

The per-case explainer says "depends on: [facts]" by walking the rule. This is the same walk
compiled to Polars: every rule gets a column of bitmasks (two UInt64 words) of the unknown
facts and open legal questions that keep it undecided — a leaf its unknown facts while its
value is unknown, an AND/OR the masks of its unknown parts, a decision those of the unknown
branches before the one that would decide it. Property tests hold it equal to the explainer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from cruce.engine.logic import (
    Blocked,
    Condition,
    Context,
    Decision,
    InForce,
    Known,
    Not,
    Unsettled,
    roots,
    rule_nodes,
    shared_stages,
)

WORD = 64
Mask = tuple[pl.Expr, pl.Expr]
ZERO = (pl.lit(0, dtype=pl.UInt64), pl.lit(0, dtype=pl.UInt64))


@dataclass(frozen=True)
class UnknownIndex:
    """Bit positions of the things an outcome can depend on: facts and open legal questions."""

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.names) > 2 * WORD:
            raise ValueError(f"{len(self.names)} names do not fit in a {2 * WORD}-bit mask")

    def bit(self, name: str) -> Mask:
        position = self.names.index(name)
        word = pl.lit(1 << (position % WORD), dtype=pl.UInt64)
        return (word, ZERO[1]) if position < WORD else (ZERO[0], word)

    def decode(self, low: int, high: int) -> str:
        """The names whose bits are set in a mask, joined with ';'."""
        return ";".join(
            name
            for position, name in enumerate(self.names)
            if (low if position < WORD else high) >> (position % WORD) & 1
        )

    def names_of(self, mask: Mask) -> pl.Expr:
        """The names in each row's mask, joined with ';' (decoded once per distinct mask)."""
        return pl.struct(mask[0].alias("lo"), mask[1].alias("hi")).map_elements(
            lambda words: self.decode(words["lo"], words["hi"]), return_dtype=pl.String
        )


def index_for(decisions: Sequence[Decision], facts: Sequence[str]) -> UnknownIndex:
    """An index of the facts and of every open question the decisions can raise."""
    questions: set[str] = set()
    for node in rule_nodes(*roots(decisions)):
        if isinstance(node, Unsettled):
            questions.add(node.question)
        if isinstance(node, InForce):
            questions.add(f"in force: {node.key}")
    return UnknownIndex(tuple(facts) + tuple(sorted(questions)))


def _or(a: Mask, b: Mask) -> Mask:
    return a[0] | b[0], a[1] | b[1]


def _when(condition: pl.Expr, mask: Mask) -> Mask:
    (when_true, when_false), (zero_true, zero_false) = mask, ZERO
    return (
        pl.when(condition).then(when_true).otherwise(zero_true),
        pl.when(condition).then(when_false).otherwise(zero_false),
    )


def _column(node: Condition) -> Mask:
    return pl.col(f"__lo_{id(node)}"), pl.col(f"__hi_{id(node)}")


def _own_mask(node: Condition, ctx: Context, index: UnknownIndex) -> Mask:
    """A node's mask from its value and its parts' masks (parts already in columns)."""
    value_unknown = node.compile(ctx).is_null()
    if isinstance(node, Known | Blocked):
        return ZERO
    if isinstance(node, Unsettled):
        return index.bit(node.question)
    if isinstance(node, InForce):
        return _when(value_unknown, index.bit(f"in force: {node.key}"))
    children = node.children()
    if isinstance(node, Not):
        return _mask_of(node.part, ctx, index)
    mask = ZERO
    if children:
        for child in children:
            mask = _or(mask, _when(child.compile(ctx).is_null(), _mask_of(child, ctx, index)))
    else:
        for fact in sorted(node.facts()):
            mask = _or(mask, _when(pl.col(fact).is_null(), index.bit(fact)))
    return _when(value_unknown, mask)


def _mask_of(node: Condition, ctx: Context, index: UnknownIndex) -> Mask:
    return _column(node) if node.children() else _own_mask(node, ctx, index)


def mask_stages(
    decisions: Sequence[Decision], ctx: Context, index: UnknownIndex
) -> list[list[pl.Expr]]:
    """Stages of columns: every rule's value, then every rule's mask, inner rules first.
    Each expression stays small because it reads its parts' columns."""
    values = shared_stages(decisions, ctx, every=True)
    nodes = {id(n): n for n in rule_nodes(*roots(decisions))}
    level: dict[int, int] = {}

    def depth(node: Condition) -> int:
        if id(node) not in level:
            level[id(node)] = 1 + max((depth(c) for c in node.children()), default=-1)
        return level[id(node)]

    by_level: dict[int, list[pl.Expr]] = {}
    for node in nodes.values():
        if node.children():
            lo, hi = _own_mask(node, ctx, index)
            by_level.setdefault(depth(node), []).extend(
                [lo.alias(f"__lo_{id(node)}"), hi.alias(f"__hi_{id(node)}")]
            )
    first = ctx.key_stage()
    return [stage for stage in (first, *values) if stage] + [by_level[k] for k in sorted(by_level)]


def decision_unknowns(
    decision: Decision, ctx: Context, index: UnknownIndex, outcome: pl.Expr
) -> Mask:
    """What keeps a decision undecided: the unknown branches before the one that holds.
    Reads the columns of ``mask_stages``."""
    mask = ZERO
    decided_before = pl.lit(False)
    for branch in decision.branches:
        value = branch.condition.compile(ctx)
        open_branch = ~decided_before & value.is_null()
        mask = _or(mask, _when(open_branch, _mask_of(branch.condition, ctx, index)))
        decided_before = decided_before | value.fill_null(False)
    return _when(outcome.is_null(), mask)
