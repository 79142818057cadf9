"""Settings, security headers, error pages and the health check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def run_django(*args, **env_overrides):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_start_up_without_secret_key_stops_with_a_clear_message():
    result = run_django("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_mode_needs_no_secret_key():
    result = run_django("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_junk_boolean_setting_is_refused():
    result = run_django("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_in_a_production_like_environment():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x7#k2!vQ9pL$mN4zR8wT1yB6cF3hJ0dS5gA_eU-iO+uY=tE*rW&qP",
        DJANGO_ALLOWED_HOSTS="prep.example.com",
        EMAIL_HOST="smtp.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_switches_to_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_django(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u@localhost:5432/prep"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_redis_url_switches_the_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_django("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_sqlite_is_tuned_for_concurrent_use():
    code = (
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode)"
    )
    result = run_django(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", SQLITE_PATH="/tmp/prep-settings-test.sqlite3"
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


def test_security_headers_on_every_page(client):
    response = client.get(reverse("interviews:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client):
    page = client.get(reverse("interviews:home")).content.decode()
    assert "<script>" not in page and "style=" not in page
    assert 'hx-headers:inherited=\'{"X-CSRFToken"' in page


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "up", "cache": "up", "tasks": "not configured"}


def test_healthz_reports_unavailable_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "unavailable"


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_server_error_shows_a_friendly_page_without_details(client):
    from interviews.views.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_static_htmx_is_vendored_not_from_a_cdn(client):
    page = client.get(reverse("interviews:home")).content.decode()
    assert "/static/vendor/htmx-4.0.1.min.js" in page
    assert "https://" not in page.split("<body")[0]
    assert (ROOT / "static/vendor/htmx-4.0.1.min.js").exists()


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("interviews:home")).status_code == 301


def test_head_requests_are_answered(client):
    assert client.head(reverse("interviews:home")).status_code == 200
    assert client.head(reverse("interviews:question-list")).status_code == 200
