"""Log records as JSON lines, which a log collector parses without rules of its own."""

import json
import logging
from datetime import UTC, datetime


class JsonLines(logging.Formatter):
    """One JSON object per record; a failed request adds its method, path, status and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # django.request puts the request on the record (django.server puts a socket there).
        request = getattr(record, "request", None)
        if hasattr(request, "method") and hasattr(request, "path"):
            entry["method"], entry["path"] = request.method, request.path
        if (status := getattr(record, "status_code", None)) is not None:
            entry["status_code"] = status
        if record.exc_info:
            entry["exception"] = repr(record.exc_info[1])
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
