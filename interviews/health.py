"""Health of what the site depends on (database, disk, cache, task queue), for /healthz and the 503 page."""

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from interviews.models import HealthProbe

# PostgreSQL refusing writes (a read-only transaction or a standby), beyond its OperationalErrors.
READ_ONLY_SQLSTATES = {"25006"}
# SQLite reports a missing table or bad SQL as an OperationalError too: only these mean "not now".
SQLITE_UNAVAILABLE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_BUSY")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database cannot serve now (down, full, read-only), not a bug in the code."""
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        sqlite_error = getattr(error.__cause__, "sqlite_errorname", None)
        return sqlite_error is None or sqlite_error.startswith(SQLITE_UNAVAILABLE)
    return isinstance(error, DatabaseError) and getattr(error.__cause__, "sqlstate", None) in READ_ONLY_SQLSTATES


def database_status() -> str:
    """'up' when the database takes a write; otherwise why not ('disk full', 'read-only', 'down')."""
    if connection.vendor == "sqlite":
        folder = Path(settings.DATABASES["default"]["NAME"]).resolve().parent
        if shutil.disk_usage(folder).free < settings.HEALTHZ_MIN_FREE_MB * 1024 * 1024:
            return "disk full"
    try:
        with transaction.atomic():
            if not HealthProbe.objects.filter(pk=1).update(checked_at=timezone.now()):
                HealthProbe.objects.create(pk=1, checked_at=timezone.now())
    except DatabaseError as error:
        message = str(error).lower()
        if "full" in message or "no space" in message:
            return "disk full"
        if "readonly" in message or "read-only" in message or "read only" in message:
            return "read-only"
        return "down"
    return "up"


def cache_status() -> str:
    key, value = "healthz-probe", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        return "up" if cache.get(key) == value else "down"
    except Exception:  # any client error (refused, timeout, auth) means the same: the cache is down
        return "down"


def tasks_status() -> str:
    """The task queue, when a database-backed one is configured ('not configured' otherwise)."""
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db."):
        return "not configured"
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    except (ImportError, RuntimeError, DatabaseError):  # not installed, or its table is unreachable
        return "down"
    return "up"
