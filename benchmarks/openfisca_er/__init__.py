"""Cruce's expedited-removal rule written for OpenFisca, for the side-by-side benchmark only.

``benchmarks/bench_openfisca.py`` times this model against Cruce's compiled rules on the same
rows. It is not part of Cruce: openfisca-core is AGPL-licensed and only ever installed through
the benchmark-only ``peers`` extra.

The model is one ``Person`` entity, the facts the rule reads as input variables
(``openfisca_er.inputs``), one formula per intermediate rule (``openfisca_er.rules``), and the
dated law — designations, Cuban exceptions, thresholds, and assumptions for the three open legal
questions — as OpenFisca parameters (``openfisca_er/parameters``).
"""

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_er.entities import ENTITIES
from openfisca_er.inputs import INPUTS
from openfisca_er.rules import RULES

PARAMETERS = Path(__file__).resolve().parent / "parameters"
ANSWER = "expedited_removal_available"

# Cruce's timeline keys (``InForce``) and the parameters (under ``expedited_removal``) that
# state the same law, by day.
TIMELINE_PARAMETERS = {
    "er_designation_sea": "designations.sea_2002",
    "er_designation_land_2004": "designations.land_2004",
    "er_designation_full": "designations.full_scope",
    "er_for_paroled_arriving_aliens": "paroled_arriving_aliens",
    "cuba_without_full_diplomatic_relations": "cuba.without_full_diplomatic_relations",
    "cuban_exception_air": "cuba.air_regulatory_exception",
    "cuban_exception_designations": "cuba.designations_exception",
}


class ExpeditedRemovalSystem(TaxBenefitSystem):
    """The OpenFisca "tax-benefit system" holding the expedited-removal model."""

    def __init__(self) -> None:
        super().__init__(ENTITIES)
        self.add_variables(*INPUTS, *RULES)
        self.load_parameters(str(PARAMETERS))


__all__ = ["ANSWER", "PARAMETERS", "TIMELINE_PARAMETERS", "ExpeditedRemovalSystem"]
