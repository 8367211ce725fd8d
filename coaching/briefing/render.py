"""A briefing as documents: Markdown and HTML (the email's two parts, the rep's files).

HTML is autoescaped and Markdown escaped: text from a deal or a model cannot inject
markup (no raw HTML, links or emphasis from a CRM field). Absent sections are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from coaching.briefing.content import BriefingContent
from coaching.briefing.deterministic import day, headings

TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html", "html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape_markdown(text: object) -> str:
    """`text` as literal Markdown: every character CommonMark could read as markup or raw
    HTML is backslash-escaped, and a line cannot open a heading, list or quote."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"(?m)^(\s*)([-+=#]|\d+[.)])", r"\1\\\2", escaped)


_ENV.filters["md"] = escape_markdown


def render_markdown(
    content: BriefingContent,
    *,
    champion: str | None,
    rep_name: str,
    prepared_on: dt.date,
    rep_notes: bool = False,
) -> str:
    """The champion's page in Markdown; with `rep_notes`, the rep-only part after it."""
    return _render(
        "briefing.md.j2",
        content,
        champion=champion,
        rep_name=rep_name,
        prepared_on=prepared_on,
        rep_notes=rep_notes,
    )


def render_html(
    content: BriefingContent, *, champion: str | None, rep_name: str, prepared_on: dt.date
) -> str:
    """The champion's page as a standalone, printable HTML document."""
    return _render(
        "briefing.html.j2",
        content,
        champion=champion,
        rep_name=rep_name,
        prepared_on=prepared_on,
        rep_notes=False,
    )


def _render(
    name: str,
    content: BriefingContent,
    *,
    champion: str | None,
    rep_name: str,
    prepared_on: dt.date,
    rep_notes: bool,
) -> str:
    text = _ENV.get_template(name).render(
        shared=content.shared,
        rep=content.rep if rep_notes else None,
        headings=headings(),
        champion=champion,
        rep_name=rep_name,
        prepared_on=day(prepared_on),
    )
    return text.strip() + "\n"
