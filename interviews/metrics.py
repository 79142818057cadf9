"""Prometheus metrics: request latency, answers recorded, database and cache errors.

Under scripts/serve every worker process writes its samples to PROMETHEUS_MULTIPROC_DIR and /metrics
adds them up, so one scrape sees the whole server whichever worker answers it.
"""

import os

from django.db import DatabaseError
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_LATENCY = Histogram(
    "prep_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by view and status.",
    ["method", "view", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ANSWERS_RECORDED = Counter("prep_answers_recorded_total", "Answers stored (a replayed retry is not counted).", ["mode"])
DATABASE_ERRORS = Counter("prep_database_errors_total", "Database errors seen while serving requests.", ["error"])
CACHE_ERRORS = Counter("prep_cache_errors_total", "Cache (Redis) errors seen while serving requests.", ["error"])


def count_database_error(error: BaseException):
    """Count a database error once, however many layers see it go by."""
    if isinstance(error, DatabaseError) and not getattr(error, "prep_counted", False):
        DATABASE_ERRORS.labels(type(error).__name__).inc()
        error.prep_counted = True


def count_cache_error(error: BaseException):
    CACHE_ERRORS.labels(type(error).__name__).inc()


def is_cache_error(error: BaseException) -> bool:
    return type(error).__module__.startswith("redis.")


def latest() -> bytes:
    """The exposition text: every worker's samples when multiprocess mode is on, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
