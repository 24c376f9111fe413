"""Cruce's own legal notes (docs/law/): every reference to them resolves, every rule id the code
uses has its anchor, and nothing points at the research material outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cruce.law import QUESTIONS
from cruce.law.citations import registry
from cruce.law.timeline import regimes

ROOT = Path(__file__).resolve().parents[1]
SEARCHED = ("src", "tests", "docs")
# A repository path to a Markdown document, optionally with an anchor, as docs/law/tvpra.md#r6.
REFERENCE = re.compile(r"docs/(?:law/)?[a-z][a-z0-9-]*\.md(?:#[a-z0-9-]+)?")
# Relative Markdown links inside docs/law/: [text](x.md#anchor) or [text](#anchor).
RELATIVE_LINK = re.compile(r"\]\(((?:[a-z][a-z0-9-]*\.md)?(?:#[a-z0-9-]+)?)\)")
ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>')


def _texts() -> list[tuple[Path, str]]:
    files = []
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in {".py", ".yaml", ".md", ".json", ".html", ".js"} and path.is_file():
                files.append((path, path.read_text("utf-8")))
    return files


def _anchors(document: Path) -> set[str]:
    """Explicit HTML anchors plus the anchors Markdown renderers derive from headings."""
    text = document.read_text("utf-8")
    headings = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in text.splitlines()
        if line.startswith("#")
    }
    return set(ANCHOR.findall(text)) | headings


def test_every_docs_reference_resolves() -> None:
    broken = []
    for path, text in _texts():
        for reference in set(REFERENCE.findall(text)):
            document, _, anchor = reference.partition("#")
            target = ROOT / document
            if not target.is_file():
                broken.append(f"{path.relative_to(ROOT)}: {reference} (no such file)")
            elif anchor and anchor not in _anchors(target):
                broken.append(f"{path.relative_to(ROOT)}: {reference} (no anchor #{anchor})")
    assert not broken, "\n".join(broken)


def test_links_inside_the_notes_resolve() -> None:
    notes = ROOT / "docs" / "law"
    broken = []
    for page in sorted(notes.glob("*.md")):
        for link in RELATIVE_LINK.findall(page.read_text("utf-8")):
            document, _, anchor = link.partition("#")
            target = notes / document if document else page
            if not target.is_file() or (anchor and anchor not in _anchors(target)):
                broken.append(f"{page.name}: ({link})")
    assert not broken, "\n".join(broken)


def test_nothing_cites_the_research_material() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for path, text in _texts()
        if path != Path(__file__)
        for number, line in enumerate(text.splitlines(), 1)
        if re.search(r"spec ?§|shared/law|^\s*spec: ", line, re.IGNORECASE)
    ]
    assert not offending, offending


def _all_anchors() -> set[str]:
    return set().union(*(_anchors(page) for page in (ROOT / "docs" / "law").glob("*.md")))


@pytest.mark.parametrize(
    "rule_id",
    [f"D{i}" for i in range(1, 7)]
    + [f"R{i}" for i in range(1, 9)]
    + [f"E{i}" for i in range(1, 16)],
)
def test_every_rule_id_has_its_anchor(rule_id: str) -> None:
    assert rule_id.lower() in _all_anchors(), f'no <a id="{rule_id.lower()}"> in docs/law/'


def test_every_branch_label_and_regime_has_its_anchor() -> None:
    anchors = _all_anchors()
    labels = {
        match.group(0).lower().replace(".", "-")
        for decision in QUESTIONS.values()
        for branch in (*decision.branches, decision.otherwise)
        if (match := re.match(r"R\d(\.\d+)?", branch.name))
    }
    wanted = labels | {regime_id.lower() for regime_id in regimes()}
    assert not wanted - anchors, sorted(wanted - anchors)


def test_every_source_is_listed_with_its_confidence() -> None:
    sources = (ROOT / "docs" / "law" / "sources.md").read_text("utf-8")
    for source_id, source in registry().items():
        row = next(
            (line for line in sources.splitlines() if f'<a id="{source_id.lower()}"></a>' in line),
            None,
        )
        assert row is not None, f"docs/law/sources.md lacks {source_id}"
        assert f"| {source.confidence.value} |" in row, (source_id, row)
