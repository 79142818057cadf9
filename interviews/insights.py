"""The dashboard's learning sections beside the progress charts, each in a fixed number of queries."""

from datetime import datetime

from interviews.calibration import calibration_data
from interviews.review import Prefs


def dashboard_sections(user, *, now: datetime, prefs: Prefs) -> dict:
    return {**calibration_data(user)}
