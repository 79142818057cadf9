"""Markdown to safe HTML: markdown-it-py parses, Pygments highlights code, nh3 sanitises."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, info: str, attrs) -> str:
    # The info string may carry flags after the language ("python runnable").
    language = info.split()[0] if info.strip() else ""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""  # markdown-it escapes the code itself
    return highlight(code, lexer, FORMATTER)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "highlight": _highlight})
    return parser.enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Render learner- or curator-written Markdown to HTML that is safe to show as is."""
    if not text:
        return ""
    html = _parser().render(text)
    # Code blocks get the class the Pygments stylesheet targets.
    html = html.replace("<pre><code", '<div class="highlight"><pre><code').replace(
        "</code></pre>", "</code></pre></div>"
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_inline(text: str) -> str:
    """Render one line of Markdown (choice texts) without wrapping it in a paragraph."""
    if not text:
        return ""
    return nh3.clean(
        _parser().renderInline(text), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"}
    )
