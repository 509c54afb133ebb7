"""Free text from the inputs rendered as safe Markdown: paragraphs, lists, emphasis, links and nothing more."""

from __future__ import annotations

import functools
import logging

from markdown_it import MarkdownIt
from markupsafe import Markup

log = logging.getLogger(__name__)

ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:")

# Headings would break the document's outline and numbering, images would make WeasyPrint fetch
# something; both stay as literal text. Raw HTML is off in the parser, so it is escaped, never passed on.
_DISABLED_RULES = ["heading", "lheading", "image"]


def _allowed_link(url: str) -> bool:
    return url.strip().lower().startswith(ALLOWED_LINK_SCHEMES)


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(_DISABLED_RULES)
    # A link whose target fails this check is left as the literal `[text](target)`.
    md.validateLink = _allowed_link  # type: ignore[method-assign]
    return md


def render_markdown(text: str) -> Markup:
    """Render `text` as sanitised HTML; any HTML or template syntax in it is shown literally."""
    if not text:
        return Markup("")
    return Markup(_parser().render(text).strip())


def render_markdown_inline(text: str) -> Markup:
    """Render `text` without the surrounding paragraph, for table cells and one-line fields."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text).strip())
