"""Markdown is rendered once, highlighted, and nothing dangerous survives."""

from html.parser import HTMLParser

import pytest

from interviews.markdown import render_inline, render_markdown
from tests.factories import make_question


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        "<iframe src='https://evil.example'></iframe>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "![pixel](data:image/png;base64,iVBORw0KGgo=)",
        "<a href='javascript:alert(1)'>x</a>",
        "<style>body{display:none}</style>",
        '<p style="color:red" onclick="steal()">hi</p>',
    ],
)
def test_dangerous_markup_does_not_survive(dangerous):
    elements = parsed(render_markdown(f"Intro\n\n{dangerous}\n"))
    for tag, attributes in elements:
        assert tag not in {"script", "iframe", "style", "object", "embed"}
        for name, value in attributes:
            assert not name.startswith("on") and name != "style"
            assert not (value or "").strip().lower().startswith(("javascript:", "data:"))


def parsed(html: str) -> list[tuple[str, list]]:
    """Every element the browser would build from `html`, with its attributes."""
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


def test_code_blocks_are_highlighted_with_pygments():
    html = render_markdown("```python runnable\nimport torch\n```")
    assert '<div class="highlight"><pre><code' in html
    assert '<span class="kn">import</span>' in html


def test_unknown_language_is_escaped_not_lost():
    html = render_markdown("```nosuchlang\n<b>x</b>\n```")
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_links_open_safely():
    assert 'rel="noopener noreferrer nofollow"' in render_markdown("[docs](https://pytorch.org)")


def test_inline_rendering_has_no_paragraph():
    assert render_inline("`torch.no_grad()` **only**") == "<code>torch.no_grad()</code> <strong>only</strong>"


@pytest.mark.django_db
def test_rendered_html_is_stored_when_the_text_is_saved():
    question = make_question(body="Use `x.grad`", answer="**Bold** answer")
    assert question.body_html == "<p>Use <code>x.grad</code></p>\n"
    assert "<strong>Bold</strong>" in question.answer_html
    assert question.choices.first().explanation_html.startswith("<p>Why")
