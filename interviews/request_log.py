"""Middleware: one JSON log line and the latency metric for every request, with a request id."""

import json
import logging
import re
import sys
import time
import uuid

from django.core.signals import got_request_exception
from django.db import OperationalError, connection
from django.utils import timezone

from interviews import metrics

logger = logging.getLogger("prep.requests")
# A reverse proxy's id (nginx's $request_id) is kept, so its access log and ours can be joined.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class QueryCounter:
    """A database execute wrapper: counts the request's queries and its database errors."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        try:
            return execute(sql, params, many, context)
        except Exception as error:
            metrics.count_database_error(error)
            if isinstance(error, OperationalError):
                # A persistent connection that met a full disk, a read-only file or a lost server
                # is closed when the request ends, so the next request opens a fresh one.
                context["connection"].close_at = 0
            raise


def count_failure(sender, request=None, **kwargs):
    """An exception that escaped a view: count it if the database or the cache raised it."""
    error = sys.exc_info()[1]
    if error is None:
        return
    if metrics.is_cache_error(error):
        metrics.count_cache_error(error)
    else:
        metrics.count_database_error(error)


got_request_exception.connect(count_failure, dispatch_uid="prep-count-failure")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        duration = time.perf_counter() - started
        response["X-Request-ID"] = request.id
        match = request.resolver_match
        view = match.view_name if match else "unmatched"
        method = request.method if request.method in metrics.METHODS else "other"
        metrics.REQUEST_LATENCY.labels(method, view, str(response.status_code)).observe(duration)
        user = getattr(request, "user", None)
        logger.info(
            json.dumps(
                {
                    "time": timezone.now().isoformat(timespec="milliseconds"),
                    "request_id": request.id,
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "queries": queries.count,
                    "user": user.pk if user is not None and user.is_authenticated else None,
                }
            )
        )
        return response
