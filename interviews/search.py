"""Full-text search of the bank: what a typed query means, and the highlighted snippet of a match.

Both databases match the same way: every word must match, each as a prefix of a stemmed word, so
"normaliz", "normalized" and "normalisation" all reach questions about normalization.
"""

import re

from django.db.models import F, Func, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 10
# Private-use characters never appear in the bank, so they can mark matches through escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
# Endings cut from a typed word so that it reaches the stems of its other forms: the stemmers keep
# "normalis" for "normalisation" but "normal" for "normalization", and leave "normaliz" alone.
_ENDINGS = re.compile(r"(isations?|izations?|ations?|ising|izing|ised|ized|ises|izes|ise|ize|is|iz|ings?|ed|es|e|s)$")
_MIN_STEM = 4


def terms(text: str) -> list[str]:
    """The words of a query as lower-case prefixes, at most MAX_TERMS, each letters and digits only."""
    found = []
    for word in re.findall(r"[^\W_]+", text.lower())[:MAX_TERMS]:
        trimmed = _ENDINGS.sub("", word)
        prefix = trimmed if len(trimmed) >= _MIN_STEM else word
        if prefix not in found:
            found.append(prefix)
    return found


# PostgreSQL's parser reads `torch.cuda.synchronize` or `a/b` as one host or file name, and `<x>` as
# an HTML tag; look-alike characters that it treats as spaces let it see the words, and
# snippet_html turns them back.
_PG_LOOKALIKES = {".": "\u2024", "/": "\u2215", "<": "\u2039"}
_FROM_LOOKALIKES = str.maketrans({v: k for k, v in _PG_LOOKALIKES.items()})


def pg_document(field: str) -> Func:
    """A text column as PostgreSQL's search should read it: names split at dots and slashes, no tags."""
    return Func(
        F(field),
        Value("".join(_PG_LOOKALIKES)),
        Value("".join(_PG_LOOKALIKES.values())),
        function="translate",
        output_field=TextField(),
    )


def fts5_query(words: list[str]) -> str:
    """An SQLite FTS5 query: every word, as a prefix (the porter tokenizer stems each one first)."""
    return " AND ".join(f'"{word}"*' for word in words)


def tsquery(words: list[str]) -> str:
    """A PostgreSQL tsquery in to_tsquery syntax: every word, as a prefix of an English stem."""
    return " & ".join(f"{word}:*" for word in words)


_CODE = re.compile(r"`([^`\n]+)`")
_MARKUP = re.compile(r"`+|\*\*|__|^#+\s*", re.MULTILINE)


def snippet_html(text: str | None) -> SafeString:
    """Markdown text with match marks as safe HTML: everything escaped but the marks and inline code.

    Empty when nothing in the text matched, so a result shows a snippet only where it explains the match.
    """
    if not text or MARK_START not in text:
        return mark_safe("")
    html = escape(" ".join(text.translate(_FROM_LOOKALIKES).split()))
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _MARKUP.sub("", html)
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
