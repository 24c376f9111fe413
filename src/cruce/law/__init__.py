"""The law, one module per legal instrument, each rule with its sentence and its citation.

``QUESTIONS`` lists what a determination answers, in the order results are shown.
"""

from cruce.law.contiguous_return import CONTIGUOUS_RETURN, MPP
from cruce.law.expedited_removal import ER_ELIGIBILITY, PROCEDURE
from cruce.law.priorities import PRIORITY

QUESTIONS = {
    "expedited_removal": ER_ELIGIBILITY,
    "procedure": PROCEDURE,
    "contiguous_return": CONTIGUOUS_RETURN,
    "mpp": MPP,
    "priority": PRIORITY,
}
