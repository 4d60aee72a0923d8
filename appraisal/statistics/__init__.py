"""Monthly and yearly statistics of a township (per village, with a total) for township
admins, the organisation department and viewers: the page, the xlsx and
``manage.py export_statistics`` share these reads (docs/STATISTICS.md); the township
dashboard's charts (``township_charts``) use the same definitions."""
from .dashboard import TownshipCharts, township_charts
from .figures import Statistics, VillageFigures, village_statistics
from .period import Period, PeriodError, Span, week_label
from .xlsx import write_statistics_xlsx

__all__ = ["Period", "PeriodError", "Span", "Statistics", "TownshipCharts", "VillageFigures",
           "township_charts", "village_statistics", "week_label", "write_statistics_xlsx"]
