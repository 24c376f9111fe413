"""The notice every surface of Cruce carries, in English and Spanish: one home, so the words
cannot drift between the CLI, the JSON, the pages and the reports."""

from __future__ import annotations

NOTICES = {
    "en": "Information about the law, not legal advice.",
    "es": "Información sobre la ley, no asesoría legal.",
}
NOTICE = NOTICES["en"]
"""The English notice: the CLI, the JSON schema's ``notice`` field and the API description."""
