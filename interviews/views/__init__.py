"""Views, one module per area of the site, and the one helper they share."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Render the whole page, or only `partial` for an htmx request (not for a history restore)."""
    if partial and request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
