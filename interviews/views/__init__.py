"""Views, one module per area of the site, and the helpers they share."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Render the whole page, or only `partial` for an htmx request (not for a history restore)."""
    if partial and request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def positive_id(value) -> int | None:
    """A positive database-sized integer from user input (a form or query string), or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None
