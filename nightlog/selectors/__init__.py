"""Every read of the night log that is more than a ``get``. Each one costs a constant
number of queries whatever the size of the data (pinned in tests)."""
from .dashboards import cadre_home, org_dashboard, township_dashboard, village_cadre_home
from .households import household_list, household_options, is_responsible_cadre
from .log import coverage, night_log
from .must_visit import must_visit_coverage
from .problems import problem_list, visit_list
from .stats import cadre_year_stats

__all__ = [
    "cadre_home", "cadre_year_stats", "coverage", "household_list", "household_options",
    "is_responsible_cadre", "must_visit_coverage", "night_log", "org_dashboard", "problem_list", "township_dashboard",
    "village_cadre_home", "visit_list",
]
