"""The one entity of the model: a person whose case is decided (OpenFisca needs entities)."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="A person encountered by DHS whose case is decided",
    is_person=True,
)

ENTITIES = [Person]
