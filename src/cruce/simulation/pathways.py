"""Processing pathways from the rules engine, never typed by hand.

Each month, a synthetic cohort of that month's border encounters — every combination of
nationality, person type, place (at or between ports), fear claim, prior removal order and, for
Mexican children, the outcome of the TVPRA screen — is decided by the compiled rules at that
month's instant (the 15th, noon US Eastern). What the law permits for each combination (which
procedure; whether the person is amenable to a return to Mexico) is fixed by the rules; how
often DHS uses a discretionary power (expedited removal when it is available; a return when a
program enrols) and how common each combination is are a replicate's parameters. The interior
cohort is the synthetic unauthorized population (``cruce.population.synthetic``) decided the
same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
import polars as pl

from cruce.decide.determination import determine_frame
from cruce.engine.logic import EASTERN
from cruce.facts.case import NO_STATUS, frame_schema
from cruce.law.timeline import DatedRow, Timeline
from cruce.population.synthetic import build_population, cases_at
from cruce.simulation.inputs import NATIONALITIES

PERSON_TYPES = ("single_adult", "family_adult", "family_child", "uac")
# Ages of the synthetic persons: the rules only ask whether a person is under 18.
AGES = {"single_adult": 30, "family_adult": 30, "family_child": 8, "uac": 16}
# Stand-in nationalities for "other": on land, only Mexico or Canada (and Cuba by air) change
# what the rules say, and from December 2021 whether a country is in the Western Hemisphere (the
# reimplemented MPP's scope). So "other" is decided twice, as a Western Hemisphere national
# (Ecuador) and as one from outside it (India), and the two are mixed in each replicate by
# ``other_outside_western_hemisphere_share``.
OUTSIDE_HEMISPHERE = "OTHER_OUTSIDE_WH"
RULES_NATIONALITY = {"OTHER": "EC", OUTSIDE_HEMISPHERE: "IN"}
# The nationalities the rules decide: the pipeline's, and "other" from outside the hemisphere.
LAW_NATIONALITIES = (*NATIONALITIES, OUTSIDE_HEMISPHERE)
PATHWAYS = (
    "expedited_removal",
    "credible_fear",
    "reinstated",
    "returned_to_mexico",
    "notice_to_appear",
    "to_hhs",
    "repatriated",
)
# The grid's axes after month: nationality, person type, at a port, fear claim, prior order,
# TVPRA screen cleared.
AXES = (LAW_NATIONALITIES, PERSON_TYPES, (False, True), (False, True), (False, True), (False, True))


class CohortError(ValueError):
    """The synthetic cohort left a question undecided: a fact the pipeline must set is missing."""


def instant_of(month: dt.date) -> dt.datetime:
    """The instant a month is decided at: its 15th, at noon US Eastern."""
    return dt.datetime(month.year, month.month, 15, 12, tzinfo=EASTERN).astimezone(dt.UTC)


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


# Border crossers as a group: no criminal or security record, no permanent residence or
# parole document (the MPP exclusions read them).
_NO_RECORD = {
    name: False
    for name in (
        "convicted_of_any_crime",
        "convicted_of_felony_status_not_essential_element",
        "convicted_of_aggravated_felony",
        "convicted_of_gang_offense_18usc521a",
        "convicted_of_significant_misdemeanor",
        "pending_criminal_charges",
        "committed_chargeable_criminal_acts",
        "intentional_gang_participation_age16plus",
        "terrorism_or_espionage_engaged_or_suspected",
        "otherwise_danger_to_national_security",
    )
} | {
    "misdemeanor_incidents_excluding_minor_traffic": 0,
    "returning_lpr_seeking_admission": False,
    "has_advance_parole_document_or_in_parole_status": False,
}


def border_cohort(instants: list[dt.datetime]) -> pl.DataFrame:
    """Every combination of the grid at every month's instant, as Case facts (nothing unknown
    that the procedure and return questions read)."""
    records = []
    for m, at in enumerate(instants):
        day = at.astimezone(EASTERN).date()
        for nationality, person, at_port, fear, prior, cleared in itertools.product(*AXES):
            code = RULES_NATIONALITY.get(nationality, nationality)
            child = person in ("family_child", "uac")
            records.append(
                {
                    "month": m,
                    "instant": at,
                    "nationalities": [code],
                    "native_country": code,
                    "habitual_residence_country": code,
                    "date_of_birth": _years_before(day, AGES[person]),
                    **NO_STATUS,
                    "entry_mode": "LAND_AT_POE" if at_port else "LAND_BETWEEN_POES",
                    "last_entry_date": day,
                    "encounter_datetime": at,
                    "determination_datetime": at,
                    "encounter_distance_to_land_border_air_miles": 5.0,
                    "encountered_upon_arrival_at_or_near_border": True,
                    "contiguous_country_arrived_from": "MX",
                    "cp_days_established_before_determination": 0,
                    "cp_days_established_before_encounter": 0,
                    "inadmissibility_grounds": ["I212a7A_IMMIGRANT_NO_VALID_DOCS"]
                    + ([] if at_port else ["I212a6Ai_PRESENT_WITHOUT_ADMISSION"]),
                    "dhs_charging_other_grounds": False,
                    "documentary_requirements_waived": False,
                    "prior_removal_order_exists": prior,
                    "prior_removal_order_date": _years_before(day, 2) if prior else None,
                    "reentered_illegally_after_removal": prior,
                    "processed_for_expedited_removal": False,
                    "parent_or_legal_guardian_in_us": person == "family_child",
                    "parent_or_guardian_available_to_provide_care_and_custody": person
                    == "family_child",
                    "accompanied_by_parent_or_legal_guardian": person == "family_child",
                    "trafficking_victim_or_credible_risk": child and not cleared,
                    "child_credible_fear_of_return": False,
                    "child_able_to_decide_withdrawal_independently": True,
                    "hours_since_apprehension": 24.0,
                    "expressed_fear_or_asylum_intent": fear,
                    "fear_of_return_to_mexico": False,
                    "mpp_fear_screening_result": "NONE",
                    **_NO_RECORD,
                    "known_physical_or_mental_health_issue": False,
                    "criminal_or_violence_history": False,
                    "gov_of_mexico_or_usg_interest": False,
                    "port_director_exclusion": False,
                    "vulnerable_exclusion_2021": False,
                    "mpp_operating_at_location": True,
                    "mexico_accepting_returns": True,
                }
            )
    schema = {"month": pl.Int64, "instant": pl.Datetime("us", "UTC"), **frame_schema()}
    return pl.DataFrame(records, schema=schema)


_ANSWERS = ("procedure", "mpp", "contiguous_return")


@dataclass(frozen=True)
class BorderLaw:
    """What the rules say for every cell of the grid (arrays shaped month × AXES)."""

    expedited: np.ndarray  # an expedited removal order may issue (no fear claim)
    credible_fear: np.ndarray  # expedited removal, but a fear claim: a credible fear interview
    reinstated: np.ndarray
    notice_to_appear: np.ndarray  # section 240 is the only path
    to_hhs: np.ndarray
    repatriated: np.ndarray  # a Mexican child cleared by the screen may withdraw and return
    mpp_amenable: np.ndarray
    contiguous_return: np.ndarray
    # by month × (no fear claim, fear claim): a stowaway's procedure is removal on inspection
    # with no hearing (STOWAWAY_REMOVAL), a fear claim a credible fear referral (REFER_CFI)
    stowaway_removed: np.ndarray | None = None
    stowaway_referred: np.ndarray | None = None


_PROCEDURES = {
    "ER_AVAILABLE": "expedited",
    "REFER_CFI": "credible_fear",
    "REINSTATEMENT_PATH": "reinstated",
    "NTA_240": "notice_to_appear",
    "TVPRA_HHS_240": "to_hhs",
    "TVPRA_CONTIGUOUS_WITHDRAWAL_PERMITTED": "repatriated",
}


def border_law(instants: list[dt.datetime], timeline: Timeline) -> BorderLaw:
    """Decide the border cohort of every month, at its instant, with the compiled rules."""
    cohort = border_cohort(instants)
    answers = determine_frame(cohort, "instant", timeline).select(_ANSWERS)
    undecided = answers.select(pl.any_horizontal(pl.all().is_null())).to_series()
    unexpected = ~answers["procedure"].cast(pl.String).is_in(list(_PROCEDURES))
    if (undecided | unexpected).any():
        row = cohort.filter(undecided | unexpected).row(0, named=True)
        bad = answers.filter(undecided | unexpected).row(0, named=True)
        raise CohortError(f"the rules answer {bad} for the synthetic cohort row {row}")
    shape = (len(instants), *(len(axis) for axis in AXES))
    procedure = answers["procedure"].cast(pl.String).to_numpy().reshape(shape)
    by_pathway = {name: procedure == code for code, name in _PROCEDURES.items()}
    removed, referred = stowaway_law(cohort, timeline, len(instants))
    return BorderLaw(
        **by_pathway,
        stowaway_removed=removed,
        stowaway_referred=referred,
        mpp_amenable=(answers["mpp"].cast(pl.String) == "MPP_AMENABLE").to_numpy().reshape(shape),
        contiguous_return=(
            answers["contiguous_return"].cast(pl.String) == "CONTIGUOUS_RETURN_AVAILABLE"
        )
        .to_numpy()
        .reshape(shape),
    )


# A stowaway: arrived by vessel and concealed aboard (INA 235(a)(2)); not an applicant for
# admission. The land-border cohort has none, so one of its cells a month is decided again as a
# stowaway, without and with a fear claim.
_STOWAWAY = {"is_stowaway": True, "entry_mode": "SEA", "contiguous_country_arrived_from": None}


def stowaway_law(
    cohort: pl.DataFrame, timeline: Timeline, months: int
) -> tuple[np.ndarray, np.ndarray]:
    """By month × (no fear, fear): whether the rules order a stowaway removed with no hearing,
    and whether they refer a stowaway's fear claim to a credible fear interview."""
    first = cohort.filter(~pl.col("prior_removal_order_exists")).group_by(
        "month", maintain_order=True
    )
    cells = pl.concat(
        [
            first.head(1).with_columns(pl.lit(fear).alias("expressed_fear_or_asylum_intent"))
            for fear in (False, True)
        ]
    ).with_columns(pl.lit(v, dtype=cohort.schema[k]).alias(k) for k, v in _STOWAWAY.items())
    procedure = determine_frame(cells, "instant", timeline)["procedure"].cast(pl.String)
    decided = cells.select("month", "expressed_fear_or_asylum_intent").with_columns(
        procedure.alias("procedure")
    )
    removed = np.zeros((months, 2), dtype=bool)
    referred = np.zeros((months, 2), dtype=bool)
    for month, fear, outcome in decided.iter_rows():
        removed[month, int(fear)] = outcome == "STOWAWAY_REMOVAL"
        referred[month, int(fear)] = outcome == "REFER_CFI"
    return removed, referred


@dataclass(frozen=True)
class Shares:
    """How common each grid combination is in a replicate."""

    at_port: np.ndarray  # by month
    fear: np.ndarray  # by month
    prior_order: float
    screen_cleared: float
    family_child: float
    outside_hemisphere: float = 0.0  # of the "other" nationalities, from outside the Americas
    stowaway: float = 0.0  # of the encounters, stowaways (none arrive by land)


def _axis(values: np.ndarray | float, axis: int) -> np.ndarray:
    """Weights (1-p, p) for a yes/no axis of the grid, by month if ``values`` is an array."""
    p = np.asarray(values, dtype=float).reshape(-1)
    weights = np.stack([1 - p, p], axis=-1)  # (months or 1) × 2
    shape = [weights.shape[0], 1, 1, 1, 1, 1, 1]
    shape[axis] = 2
    return weights.reshape(shape)


def pathway_shares(
    law: BorderLaw,
    shares: Shares,
    expedited_use: np.ndarray | float,
    return_uptake: np.ndarray | float,
    returns: np.ndarray,
) -> np.ndarray:
    """Shares of each month's encounters of each group and nationality by pathway: array
    month × group (single adult, family unit, uac) × nationality × PATHWAYS. ``returns`` says,
    per grid cell, whether a return to Mexico is open (see ``returnable``); ``return_uptake``
    is the share of those returned (one value, or one a month), and so is ``expedited_use``."""
    expedited_use = np.asarray(expedited_use, dtype=float).reshape(-1, *([1] * len(AXES)))
    weight = (
        _axis(shares.at_port, 3)
        * _axis(shares.fear, 4)
        * _axis(shares.prior_order, 5)
        * _axis(shares.screen_cleared, 6)
    )
    bound_for_240 = law.notice_to_appear + (law.expedited + law.credible_fear) * (1 - expedited_use)
    rate = np.asarray(return_uptake, dtype=float).reshape(-1, *([1] * len(AXES)))
    returned = bound_for_240 * returns * rate
    pathways = np.stack(
        [
            law.expedited * expedited_use,
            law.credible_fear * expedited_use,
            law.reinstated,
            returned,
            bound_for_240 - returned,
            law.to_hhs,
            law.repatriated,
        ],
        axis=-1,
    )
    by_person = (pathways * weight[..., None]).sum(axis=(3, 4, 5, 6))  # month × nat × person × k
    by_person = _mix_other(by_person, shares.outside_hemisphere)
    child = shares.family_child
    groups = np.stack(
        [
            by_person[:, :, 0],
            by_person[:, :, 1] * (1 - child) + by_person[:, :, 2] * child,
            by_person[:, :, 3],
        ],
        axis=1,
    )
    return _with_stowaways(groups, law, shares)


def _with_stowaways(groups: np.ndarray, law: BorderLaw, shares: Shares) -> np.ndarray:
    """``shares.stowaway`` of every group's encounters take the stowaway's procedure: removal
    with no hearing (the summary-removal pathway, with expedited removals), a credible fear
    interview for a fear claim; whatever else the rules answer goes to section 240."""
    if shares.stowaway == 0 or law.stowaway_removed is None or law.stowaway_referred is None:
        return groups
    fear = np.broadcast_to(np.asarray(shares.fear, dtype=float).reshape(-1), (len(groups),))
    weights = np.stack([1 - fear, fear], axis=-1)  # month × (no fear, fear)
    stowaways = np.zeros((len(groups), len(PATHWAYS)))
    stowaways[:, PATHWAYS.index("expedited_removal")] = (law.stowaway_removed * weights).sum(-1)
    stowaways[:, PATHWAYS.index("credible_fear")] = (law.stowaway_referred * weights).sum(-1)
    stowaways[:, PATHWAYS.index("notice_to_appear")] = 1 - stowaways.sum(-1)
    return (1 - shares.stowaway) * groups + shares.stowaway * stowaways[:, None, None, :]


def _mix_other(by_law_nationality: np.ndarray, outside: float) -> np.ndarray:
    """The pipeline's nationalities from the rules' (axis 1): "other" is its Western Hemisphere
    stand-in and its stand-in from outside the hemisphere, in the replicate's proportion."""
    other = NATIONALITIES.index("OTHER")
    beyond = LAW_NATIONALITIES.index(OUTSIDE_HEMISPHERE)
    mixed = by_law_nationality[:, : len(NATIONALITIES)].copy()
    mixed[:, other] = (1 - outside) * mixed[:, other] + outside * by_law_nationality[:, beyond]
    return mixed


def returnable(
    law: BorderLaw, program: str, instants: list[dt.datetime], part_h: DatedRow
) -> np.ndarray:
    """Grid cells a return to Mexico is open to: those the MPP program in force enrols; and
    under ``part_h_as_directed`` (the Kelly memo's Part H read as directed), while Part H is in
    force, everyone the statute permits to be returned, of any nationality."""
    if program == "mpp":
        return law.mpp_amenable
    directed = np.array([part_h.contains(at) for at in instants])
    directed = directed.reshape(-1, *([1] * len(AXES)))
    return np.where(directed, law.contiguous_return, law.mpp_amenable)


@dataclass(frozen=True)
class InteriorLaw:
    """Share of the interior population, by month, for whom expedited removal is available, and
    the share of its Visa Waiver Program entrants the rules remove with no hearing."""

    expedited_available: np.ndarray
    population_size: int
    population_seed: int
    vwp_no_hearing: np.ndarray | None = None  # by month; None: not decided (read as none)

    def vwp_removed_without_hearing(self, m: int) -> float:
        return 0.0 if self.vwp_no_hearing is None else float(self.vwp_no_hearing[m])


def interior_law(
    instants: list[dt.datetime], timeline: Timeline, size: int = 4_000, seed: int = 2017
) -> InteriorLaw:
    """Decide a weighted sample of the unauthorized population at each month's instant (an
    interior arrest is taken as a draw from the whole population; undecided cases count as
    not available)."""
    population, _ = build_population(size=size, seed=seed)
    frames = [
        cases_at(population, at).with_columns(pl.lit(m).alias("month"), pl.lit(at).alias("instant"))
        for m, at in enumerate(instants)
    ]
    cohort = pl.concat(frames)
    answers = determine_frame(cohort, "instant", timeline)
    vwp = _vwp_no_hearing(cohort, timeline)
    available = (
        cohort.select("month", "weight")
        .with_columns(
            (answers["expedited_removal"].cast(pl.String) == "ER_AVAILABLE")
            .fill_null(False)
            .alias("available")
        )
        .group_by("month")
        .agg((pl.col("weight") * pl.col("available")).sum() / pl.col("weight").sum())
        .sort("month")
    )
    return InteriorLaw(available["weight"].to_numpy(), size, seed, vwp)


# Visa Waiver Program entrants: admitted at an airport for up to 90 days and stayed on (the
# synthetic population, built from the residual estimates, records no entry class, so its own
# persons are decided again as VWP entrants). 8 CFR 217.4(b): removal with no referral to an
# immigration judge, asylum-only proceedings for a fear claim.
_VWP_ENTRY = {"admitted_under_vwp": True, "was_admitted": True, "entry_mode": "AIR_AT_POE"}
_VWP_SAMPLE = 200  # persons a month: the answer depends on the law, not on who the person is


def _vwp_no_hearing(cohort: pl.DataFrame, timeline: Timeline) -> np.ndarray:
    """By month, the share of the cohort's first persons, decided as VWP entrants, whose
    procedure is removal without a hearing (``VWP_REMOVAL_NO_HEARING``)."""
    sample = cohort.group_by("month", maintain_order=True).head(_VWP_SAMPLE)
    entrants = sample.with_columns(
        pl.lit(v, dtype=sample.schema[k]).alias(k) for k, v in _VWP_ENTRY.items()
    )
    procedure = determine_frame(entrants, "instant", timeline)["procedure"].cast(pl.String)
    removed = (procedure == "VWP_REMOVAL_NO_HEARING").fill_null(False)
    shares = (
        entrants.select("month")
        .with_columns(removed.alias("removed"))
        .group_by("month")
        .agg(pl.col("removed").mean())
        .sort("month")
    )
    return shares["removed"].to_numpy()
