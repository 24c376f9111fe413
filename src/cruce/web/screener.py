"""The screener as an interview: one topic at a time, asking only what can still change an
undecided answer, in English or Spanish, with nothing stored on the server.

Each round decides the case with what is known and collects the facts the undecided answers
depend on (the determination's ``depends_on``). A fact once asked is never asked again, even
when answered "don't know". The answers and the list of facts asked travel in the form itself
(hidden fields); the server keeps nothing and logs no fact. Officer-side facts wait for an
optional "if you know" step. The page is ``templates/screener.html``; the words of every
question are in ``cruce/facts/questions.yaml``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cruce.decide import spanish
from cruce.decide.determination import Determination, compare, determine
from cruce.engine.logic import show
from cruce.facts.case import CaseError, parse_case
from cruce.facts.countries import country_names
from cruce.facts.questions import LANGUAGES, Question, questions
from cruce.law.timeline import regimes
from cruce.web import browser
from cruce.web.pages import cited
from cruce.web.render import render, static_text

UNKNOWN = "unknown"
NO_PRESENCE = "none"
"""The continuous-presence answer "cannot show any"."""
ASKED = "_asked"
"""The hidden field listing the facts asked so far, in the order they were asked."""
DERIVED = ("cp_days_established_before_determination", "cp_days_established_before_encounter")
WHO_RANK = {"papers": 0, "person": 1, "officer": 2}
"""What would change an answer, ranked by what a person can act on: documents first."""

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Case screener", "es": "Evaluación del caso"},
    "stored": {"en": "Nothing you enter is stored.", "es": "Nada de lo que escriba se guarda."},
    "next": {"en": "Next", "es": "Siguiente"},
    "back": {"en": "Back", "es": "Atrás"},
    "review": {"en": "Your answers", "es": "Sus respuestas"},
    "change": {"en": "Change", "es": "Cambiar"},
    "nothing": {"en": "No answers yet.", "es": "Aún no hay respuestas."},
    "result": {"en": "What the law allows", "es": "Lo que permite la ley"},
    "why": {"en": "Why", "es": "Por qué"},
    "code": {"en": "Show the code", "es": "Ver el código"},
    "unknown": {"en": "Still unknown", "es": "Aún se desconoce"},
    "would": {"en": "What would change it", "es": "Qué lo cambiaría"},
    "undecided": {
        "en": "Not decided yet: it turns on what is still unknown.",
        "es": "Aún no está decidido: depende de lo que todavía se desconoce.",
    },
    "officer": {
        "en": "If you know: facts only the officer or the record can tell",
        "es": "Si lo sabe: datos que solo el agente o el expediente conocen",
    },
    "officer_help": {
        "en": "Optional. Each of these can still change an answer above.",
        "es": "Opcional. Cada uno puede cambiar una respuesta de arriba.",
    },
    "compare": {
        "en": "The same person in every period",
        "es": "La misma persona en cada periodo",
    },
    "help": {"en": "Where to find legal help", "es": "Dónde encontrar ayuda legal"},
    "no_presence": {"en": "Cannot show any", "es": "No puede demostrarlo"},
    "switch": {"en": "Español", "es": "English"},
    "hypothetical": {"en": "hypothetical", "es": "hipotético"},
    "takeaway": {"en": "Keep this result", "es": "Guardar este resultado"},
    "pdf": {"en": "Download PDF", "es": "Descargar PDF"},
    "link": {"en": "Link to this result", "es": "Enlace a este resultado"},
    "link_help": {
        "en": "The answers are in the part of the link after #, which a browser never sends "
        "to a server: bookmark it or send it, and the page rebuilds this result.",
        "es": "Las respuestas están en la parte del enlace después de #, que el navegador "
        "nunca envía a un servidor: guárdelo o envíelo y la página rehará este resultado.",
    },
    "json": {"en": "The facts as a case file (JSON)", "es": "Los datos como archivo (JSON)"},
    "json_help": {
        "en": "For a lawyer: `cruce explain` reads this file and explains the same result.",
        "es": "Para un abogado: `cruce explain` lee este archivo y explica el mismo resultado.",
    },
    "could_change": {"en": "Could change", "es": "Podría cambiar"},
}
QUESTION_TITLES = {
    "expedited_removal": {
        "en": "Expedited removal",
        "es": "Deportación acelerada (expedited removal)",
    },
    "procedure": {"en": "Which procedure applies", "es": "Qué procedimiento se aplica"},
    "contiguous_return": {
        "en": "Return to Mexico or Canada to wait",
        "es": "Devolución a México o Canadá para esperar (contiguous return)",
    },
    "mpp": {
        "en": "Remain in Mexico (MPP)",
        "es": "Quédate en México (Migrant Protection Protocols, MPP)",
    },
    "priority": {"en": "Enforcement priority", "es": "Prioridad de aplicación (priority)"},
}
REFERRALS = [
    {
        "en": "The Executive Office for Immigration Review (EOIR) publishes a list of pro bono "
        "legal service providers, by state and immigration court.",
        "es": "La Oficina Ejecutiva de Revisión de Casos de Inmigración (EOIR) publica una "
        "lista de proveedores de servicios legales gratuitos (pro bono), por estado y corte.",
        "url": "https://www.justice.gov/eoir/list-pro-bono-legal-service-providers",
        "source": "U.S. Department of Justice, EOIR, List of Pro Bono Legal Service Providers",
    },
    {
        "en": "Mexican nationals can call the Centro de Información y Asistencia a Personas "
        "Mexicanas (CIAM) of the Mexican consular network, 24 hours: 1-520-623-7874 from the US.",
        "es": "Las personas mexicanas pueden llamar al Centro de Información y Asistencia a "
        "Personas Mexicanas (CIAM) de la red consular de México, 24 horas: 1-520-623-7874 "
        "desde EE. UU.",
        "url": "https://www.gob.mx/sre/acciones-y-programas/centro-de-informacion-y-asistencia"
        "-a-mexicanos-ciam",
        "source": "Secretaría de Relaciones Exteriores (Mexico), CIAM",
    },
]


def language(query: str | None, accept: str | None) -> str:
    """``?lang=`` first, then the first supported language of ``Accept-Language``."""
    if query in LANGUAGES:
        return query
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def countries(lang: str) -> list[tuple[str, str]]:
    """ISO 3166-1 codes with their names in ``lang`` (facts/countries.csv, from CLDR), sorted
    by name as a reader of that language looks for it (accents aside)."""
    names = [(code, words[lang]) for code, words in country_names().items()]
    return sorted(names, key=lambda row: _unaccented(row[1]))


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Interview:
    """The answers so far (``unknown`` included) and the facts asked, in order."""

    answers: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    @classmethod
    def from_form(cls, form: dict[str, list[str]]) -> Interview:
        asked = [f for f in (form.get(ASKED, [""])[0]).split(",") if f in questions().questions]
        answers: dict[str, str] = {}
        for name in asked:
            values = [v.strip() for v in form.get(name, []) if v.strip()]
            if questions().questions[name].kind in ("set", "countries"):
                answers[name] = ",".join(values) or UNKNOWN
            else:
                answers[name] = values[0] if values else UNKNOWN
        return cls(answers, asked)

    def facts(self) -> dict[str, Any]:
        """The case facts the answers give (``don't know`` leaves a fact unknown)."""
        facts: dict[str, Any] = {}
        for name, value in self.answers.items():
            if value == UNKNOWN:
                continue
            if name == "continuous_presence_established_since" and value == NO_PRESENCE:
                facts.update(dict.fromkeys(DERIVED, 0))
            elif name == "encounter_datetime" and len(value) == 10:
                facts[name] = f"{value}T12:00:00-05:00"
            else:
                facts[name] = value
        return facts

    def forget(self, names: list[str]) -> None:
        """Ask these facts again (edit, back)."""
        self.asked = [f for f in self.asked if f not in names]
        for name in names:
            self.answers.pop(name, None)


def _decide(interview: Interview, at: str) -> tuple[Determination, Any]:
    case = parse_case({**interview.facts(), "determination_datetime": at}, "your answers")
    return determine(case, counterfactuals=True), case


def _waiting(results: list[Determination], interview: Interview) -> list[Question]:
    """The facts undecided answers depend on that were never asked, in interview order: the
    answers now and in every period of the comparison (which is how the age and the encounter
    date and distance come to be asked)."""
    every = questions()
    wanted = {
        f
        for determination in results
        for result in determination.outcomes.values()
        for f in result.depends_on
        if f not in interview.asked and f in every.questions and f not in DERIVED
    }
    order = every.topic_order()
    return sorted((every.questions[f] for f in wanted), key=lambda q: q.sort_key(order))


def _control(question: Question, lang: str, value: str = "") -> dict[str, Any]:
    every = questions()
    choices: list[tuple[str, str]] = []
    if question.kind in ("country", "countries"):
        choices = countries(lang)
    elif question.choices:
        choices = [(v, w[lang]) for v, w in question.choices.items()]
    elif question.kind == "bool":
        choices = [(v, every.answers[v][lang]) for v in ("true", "false")]
    return {
        "name": question.fact,
        "kind": question.kind,
        "text": question.text[lang],
        "help": question.help[lang],
        "choices": choices,
        "dont_know": every.answers[UNKNOWN][lang],
        "value": value,
        "selected": value.split(","),
    }


def _fact_words(name: str, lang: str) -> str:
    question = questions().questions.get(name)
    return question.text[lang] if question else name.replace("_", " ")


def _change_words(change: Any, lang: str) -> str:
    parts = []
    for name, value in change.facts:
        question = questions().questions.get(name)
        shown = show(value)
        if question and question.kind == "bool":
            shown = questions().answers[str(value).lower()][lang]
        elif question and str(value) in question.choices:
            shown = question.choices[str(value)][lang]
        parts.append(f"{_fact_words(name, lang)} → {shown}")
    if change.at is not None:
        later = "decidido el" if lang == "es" else "decided on"
        parts.append(f"{later} {show(change.at)[:10]}")
    return "; ".join(parts)


def _rank(change: Any) -> tuple[int, int]:
    """Documents first, then what the person knows, then the officer's side; time last."""
    who = [
        WHO_RANK.get(getattr(questions().questions.get(n), "who", ""), 2) for n, _ in change.facts
    ]
    return (1 if change.at is not None else 0, min(who, default=3))


def _cards(determination: Determination, lang: str) -> list[dict[str, Any]]:
    cards = []
    changes = determination.what_would_change or {}
    for result in determination.outcomes.values():
        undecided = bool(result.depends_on or result.unsettled)
        reasons = [r for r in result.reasons if r.depth <= 1 and r.text]
        reasons.sort(key=lambda r: r.holds is not True)  # the reasons that held decided it
        sentence = _sentence(result.text if not undecided else "", lang)
        cards.append(
            {
                "title": QUESTION_TITLES.get(result.question, {}).get(lang, result.question),
                "sentence": sentence,
                "code": f"{result.outcome} ({result.modality})",
                "reasons": [
                    {
                        "holds": r.holds,
                        "text": _said(r.text, spanish.reason(r), lang),
                        "cites": [_cited(c, lang) for c in r.citations],
                    }
                    for r in reasons
                ],
                "unknown": [_fact_words(f, lang) for f in result.depends_on]
                + [_said(q, spanish.open_question(q), lang) for q in result.unsettled],
                "would": [
                    (_change_words(c.change, lang), _sentence(c.text, lang), c.outcome)
                    for c in sorted(changes.get(result.question, []), key=lambda c: _rank(c.change))
                ],
            }
        )
    return cards


CONFIDENCE_ES = {
    "confirmed": "confirmado",
    "secondary": "fuente secundaria",
    "unconfirmed": "sin confirmar",
}
"""The confidence tags of citations, in Spanish (the English words are Confidence's values)."""


def _cited(citation: Any, lang: str) -> dict[str, str]:
    shown = cited(citation)
    if lang == "es":
        for english, words in CONFIDENCE_ES.items():
            shown["tag"] = shown["tag"].replace(f"[{english}]", f"[{words}]")
    return shown


def _sentence(outcome_text: str, lang: str) -> str:
    """An outcome as a sentence: its own words already say what DHS may, must or must not do
    (no words: still undecided)."""
    if not outcome_text:
        return WORDS["undecided"][lang]
    said = _said(outcome_text, spanish.text(outcome_text), lang)
    return said[:1].upper() + said[1:]


def _said(english: str, spanish_words: str | None, lang: str) -> str:
    """A rule's words in the page's language (English where the catalogue has no Spanish:
    tests/test_spanish.py keeps that from happening)."""
    return spanish_words if lang == "es" and spanish_words else english


def _regime_label(result: Determination, lang: str) -> str:
    regime = regimes().get(result.regime or "")
    if regime is None:
        return result.regime or "—"
    end = regime.end.date().isoformat() if regime.end else "…"
    label = f"{regime.start.date().isoformat()} – {end}: {regime.title}"
    if result.timeline != "actual":
        label += f" ({WORDS['hypothetical'][lang]})"
    return label


def _comparison(periods: list[Determination], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "label": _regime_label(result, lang),
            "outcomes": [
                {
                    "title": QUESTION_TITLES.get(o.question, {}).get(lang, o.question),
                    "sentence": _sentence("" if o.depends_on or o.unsettled else o.text, lang),
                    "code": o.outcome,
                    "modality": o.modality,
                    "unknown": [_fact_words(f, lang) for f in o.depends_on],
                }
                for o in result.outcomes.values()
            ],
        }
        for result in periods
    ]


def _error_field(message: str) -> str | None:
    found = re.findall(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", message)
    return next((f for f in found if f in questions().questions), None)


def page(form: dict[str, list[str]] | None = None, lang: str = "en") -> str:
    """The interview at the point the form has reached (the first question on a first visit)."""
    return render("screener.html", **_context(form or {}, lang))


class NotFinished(ValueError):
    """A PDF was asked for before the interview reached a result."""


def pdf(form: dict[str, list[str]], lang: str = "en") -> bytes:
    """The result the answers reach, printed to PDF by headless Chromium (the print stylesheet:
    answers, cards with their reasons, the comparison). Nothing is kept."""
    context = _context(form, lang)
    if not context["cards"]:
        raise NotFinished(
            "the answers do not reach a result yet: finish the interview, then download the PDF"
        )
    return browser.pdf(_standalone(render("screener.html", **context)))


def _standalone(html: str) -> str:
    """The page with its stylesheets inlined and no script, to print from a file."""
    html = re.sub(r"<script [^>]*></script>", "", html)
    return re.sub(
        r'<link rel="stylesheet" href="/static/([a-z_]+\.css)"( media="print")?>',
        lambda m: f"<style{m.group(2) or ''}>{static_text(m.group(1))}</style>",
        html,
    )


def _context(form: dict[str, list[str]], lang: str) -> dict[str, Any]:
    interview = Interview.from_form(form)
    edit = [f for f in form.get("_edit", [""])[0].split(",") if f in questions().questions]
    before = dict(interview.answers)
    interview.forget(edit)
    at = form.get("decide_at", [dt.date.today().isoformat()])[0] or dt.date.today().isoformat()
    error, error_field = "", None
    try:
        determination, case = _decide(interview, at)
    except (CaseError, ValueError) as problem:
        error, error_field = str(problem), _error_field(str(problem))
        last = [error_field] if error_field else interview.asked[-1:]
        kept = dict(interview.answers)
        interview.forget(last)
        determination, case = _decide(interview, at)
        interview.answers.update({k: v for k, v in kept.items() if k in last})
    periods = compare(case)
    waiting = _waiting([determination, *periods], interview)
    person = [q for q in waiting if q.who != "officer"]
    asking: list[Question] = []
    if error_field:
        asking = [questions().questions[error_field]]
    elif edit:  # back or change: ask exactly those again, showing the answers given
        asking = [questions().questions[f] for f in edit]
        interview.answers.update({f: before[f] for f in edit if f in before})
    elif person:
        asking = [q for q in person if q.topic == person[0].topic]
    officer = [q for q in waiting if q.who == "officer"] if not asking else []
    every = questions()
    review = [
        {
            "name": name,
            "text": _fact_words(name, lang),
            "answer": _answer_words(name, interview.answers.get(name, UNKNOWN), lang),
        }
        for name in interview.asked
    ]
    done = not asking
    return {
        "lang": lang,
        "words": {k: v[lang] for k, v in WORDS.items()},
        "error": error,
        "error_field": error_field,
        "decide_at": at[:10],
        "when": _control(every.questions["determination_datetime"], lang),
        "topic": every.topics[asking[0].topic][lang] if asking else "",
        "asking": [_control(q, lang, interview.answers.get(q.fact, "")) for q in asking],
        "officer": [
            {**_control(q, lang), "could_change": _could_change(q.fact, determination, lang)}
            for q in officer
        ],
        "hidden": [
            (k, v) for k, v in interview.answers.items() if k not in {q.fact for q in asking}
        ],
        "asked": ",".join(
            interview.asked + [q.fact for q in asking + officer if q.fact not in interview.asked]
        ),
        "review": review,
        "last_topic": _last_topic(interview),
        "cards": _cards(determination, lang) if done else [],
        "comparison": _comparison(periods, lang) if done else [],
        "takeaway": _takeaway(interview, at, lang) if done else {},
        "referrals": [{"text": r[lang], "url": r["url"], "source": r["source"]} for r in REFERRALS],
        "other_lang": "es" if lang == "en" else "en",
    }


def _could_change(fact: str, determination: Determination, lang: str) -> list[str]:
    """The answers (card titles) an officer-side fact can still change: those whose result
    depends on it now."""
    return [
        QUESTION_TITLES.get(result.question, {}).get(lang, result.question)
        for result in determination.outcomes.values()
        if fact in result.depends_on
    ]


def _takeaway(interview: Interview, at: str, lang: str) -> dict[str, str]:
    """Ways to keep the result that store nothing: a link holding the answers in its fragment
    (which a browser never sends), and the facts as a case file for ``cruce explain``."""
    pairs = [(ASKED, ",".join(interview.asked)), ("decide_at", at[:10])]
    for name in interview.asked:
        pairs += [(name, part) for part in interview.answers.get(name, UNKNOWN).split(",")]
    case = {**interview.facts(), "determination_datetime": at[:10]}
    encoded = base64.b64encode(json.dumps(case, indent=2).encode("utf-8")).decode("ascii")
    return {
        "link": f"/screener?lang={lang}#{urlencode(pairs)}",
        "json": f"data:application/json;base64,{encoded}",
    }


def _last_topic(interview: Interview) -> str:
    """The facts of the last topic asked: what "Back" asks again."""
    if not interview.asked:
        return ""
    every = questions().questions
    topic = every[interview.asked[-1]].topic
    return ",".join(f for f in interview.asked if every[f].topic == topic)


def _answer_words(name: str, value: str, lang: str) -> str:
    question = questions().questions[name]
    every = questions()
    if value == UNKNOWN:
        return every.answers[UNKNOWN][lang]
    if value == NO_PRESENCE:
        return WORDS["no_presence"][lang]
    if question.kind == "bool":
        return every.answers.get(value, {}).get(lang, value)
    if question.choices:
        return ", ".join(question.choices.get(v, {}).get(lang, v) for v in value.split(","))
    if question.kind in ("country", "countries"):
        names = country_names()
        return ", ".join(names[v][lang] if v in names else v for v in value.split(","))
    return value
