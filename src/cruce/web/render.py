"""Every page is a Jinja2 template in ``templates/`` extending ``base.html``, with autoescape on:
a value reaches the page escaped unless a template marks it safe. Styles and scripts are files in
``static/``, served by the app, so the Content-Security-Policy needs no 'unsafe-inline'."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cruce.decide.notice import NOTICES

STATIC = Path(__file__).parent / "static"


@cache
def environment() -> Environment:
    """The template environment, built on first use (nothing is loaded at import time)."""
    env = Environment(
        loader=PackageLoader("cruce.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["notices"] = NOTICES
    return env


def render(template: str, **context: Any) -> str:
    """The page ``template`` rendered with ``context`` (``lang`` defaults to English)."""
    context.setdefault("lang", "en")
    return environment().get_template(template).render(**context)


def static_text(name: str) -> str:
    """A static file's text, for the self-contained audit report that inlines its assets."""
    return (STATIC / name).read_text("utf-8")
