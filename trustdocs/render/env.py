"""The one Jinja environment every document template is rendered with, and its filters."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import logging
from collections.abc import Callable
from decimal import Decimal
from importlib.resources.abc import Traversable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from trustdocs.analyse import durations, liability
from trustdocs.render.markdown import render_markdown, render_markdown_inline

log = logging.getLogger(__name__)

TEMPLATES_PACKAGE = "trustdocs.templates"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MISSING = "—"


class ResourceLoader(jinja2.BaseLoader):
    """Loads templates from package data, so they are found however trustdocs is installed."""

    def __init__(self, package: str = TEMPLATES_PACKAGE) -> None:
        self.package = package

    def _root(self) -> Traversable:
        return importlib.resources.files(self.package)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        # split_template_path rejects '..' so a template name cannot leave the package.
        resource = self._root().joinpath(*jinja2.loaders.split_template_path(template))
        if not resource.is_file():
            raise jinja2.TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(t.name for t in self._root().iterdir() if t.name.endswith(".html"))


def format_date(value: dt.date | None) -> str:
    """`1 November 2026`; month names are spelled out so that no locale setting changes the output."""
    if value is None:
        return MISSING
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_money(value: Decimal | int | None, currency: str = "USD") -> str:
    """`$1,000,000`, `€12,500.50`, `GBP 250,000`, as the liability analysis prints amounts."""
    if value is None:
        return MISSING
    return liability.format_money(Decimal(value), currency)


def format_percent(value: Decimal | int | None, places: int | None = None) -> str:
    """`99.95 %` as written (trailing zeros dropped), or with `places` decimals, truncated, never rounded up;
    with a space before the sign, as every trustdocs document prints a percentage.

    Truncation keeps a measured figure on the right side of its commitment: 99.8999 prints as
    99.899%, never as a 99.900% that would look like a met 99.9% commitment.
    """
    if value is None:
        return MISSING
    if places is None:
        return f"{durations.format_commitment(Decimal(value))} %"
    return f"{durations.format_percent(Decimal(value), places)} %"


def format_duration(value: dt.timedelta | Decimal | int | None) -> str:
    """`3 d 15 h 36 min`, `40 min 19.2 s`: a timedelta or a number of seconds, to 0.1 s."""
    if value is None:
        return MISSING
    if isinstance(value, dt.timedelta):
        # Whole microseconds, so that no float rounding creeps into the tenths of a second.
        micro = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
        return durations.format_duration(Decimal(micro).scaleb(-6))
    return durations.format_duration(value)


def format_yesno(value: bool | None) -> str:
    """`Yes` / `No`, and a dash for unknown."""
    if value is None:
        return MISSING
    return "Yes" if value else "No"


def xref(anchor: str, form: str = "clause") -> Markup:
    """A cross-reference to the numbered clause whose heading has id `anchor`, printed as "clause 7.2"
    (form "clause"), "Clause 7.2" or "7.2" (form "number"). The number is filled in once the whole
    document is rendered (documents.add_table_of_contents), from the headings as they are printed."""
    if form not in ("clause", "Clause", "number"):
        raise ValueError(f"xref form {form!r}")
    return Markup(f'<a class="xref" href="#{escape(anchor)}" data-form="{form}"></a>')


GLOBALS: dict[str, Callable[..., Any]] = {"xref": xref}

FILTERS: dict[str, Callable[..., Any]] = {
    "markdown": render_markdown,
    "markdown_inline": render_markdown_inline,
    "date": format_date,
    "money": format_money,
    "percent": format_percent,
    "duration": format_duration,
    "yesno": format_yesno,
}


class _TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates, kept in its private per-user directory (mode 0700, owner checked) so that
    a build does not compile every template again; one that cannot be written is compiled next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            log.debug("could not keep a compiled template: %s", error)


def _template_code_cache() -> jinja2.BytecodeCache | None:
    try:
        return _TemplateCodeCache()
    except (OSError, RuntimeError) as error:  # no safe per-user directory: compile every time
        log.debug("compiled templates are not kept: %s", error)
        return None


def make_environment() -> jinja2.Environment:
    """The Jinja environment for every document: autoescape, StrictUndefined, the trustdocs filters.

    Templates only ever come from the package; data from the inputs is passed to them as values
    and is never compiled as a template, so `{{ 7*7 }}` in an input stays literal text.
    """
    env = jinja2.Environment(
        loader=ResourceLoader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_template_code_cache(),
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
