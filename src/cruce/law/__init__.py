"""The law, one module per legal instrument, each rule with its sentence and its citation.

``QUESTIONS`` lists what a determination answers, in the order results are shown.
"""

from cruce.law.expedited_removal import ER_ELIGIBILITY, PROCEDURE

QUESTIONS = {
    "expedited_removal": ER_ELIGIBILITY,
    "procedure": PROCEDURE,
}
