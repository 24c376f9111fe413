"""Cruce: US immigration enforcement law 2014–2026 as executable, explainable, cited rules.

Information about the law, not legal advice. See README.md; the law is in ``cruce.law``.
"""

__version__ = "0.1.0"
