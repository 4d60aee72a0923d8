"""Roster outputs as plain bytes/strings: the xlsx of a township's week, the CSV rows of
``export_roster`` and a cadre's iCalendar feed. Reads only; callers audit exports."""
from __future__ import annotations

import io
from datetime import UTC, date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from residency.models import Leave, RosterWeek, Station, Stay
from residency.spreadsheet_safety import neutralise_row

CSV_COLUMNS = ["date", "township", "village", "cadre", "station_village", "status", "borrowed"]


def export_rows(*, week_start: date, township_ids: list[int] | None = None) -> list[list[str]]:
    """One row per cadre per date of the week with a stay or approved leave (three queries).
    Stays of every week state are exported (the export is for operations)."""
    sunday = week_start + timedelta(days=6)
    stays = Stay.objects.filter(night__range=(week_start, sunday)).select_related(
        "cadre__user", "cadre__township", "village__township")
    if township_ids is not None:
        stays = stays.filter(village__township_id__in=township_ids)
    stations = Station.objects.filter(end__isnull=True).select_related("village")
    leaves = Leave.objects.filter(status=Leave.Status.APPROVED, start__lte=sunday,
                                  end__gte=week_start).select_related("cadre__user", "cadre__township")
    if township_ids is not None:
        leaves = leaves.filter(cadre__township_id__in=township_ids)
        stations = stations.filter(cadre__township_id__in=township_ids)
    home = {s.cadre_id: s.village for s in stations}
    rows: dict[tuple, list[str]] = {}
    for s in stays:
        station = home.get(s.cadre_id)
        rows[(s.night, s.cadre.township.code, s.cadre.user.username)] = [
            s.night.isoformat(), s.village.township.name, s.village.name, s.cadre.user.username,
            station.name if station else "", "stay", "1" if s.borrowed else "0"]
    for leave in leaves:
        station = home.get(leave.cadre_id)
        d = max(leave.start, week_start)
        while d <= min(leave.end, sunday):
            key = (d, leave.cadre.township.code, leave.cadre.user.username)
            rows.setdefault(key, [
                d.isoformat(), leave.cadre.township.name, station.name if station else "",
                leave.cadre.user.username, station.name if station else "", "leave", "0"])
            d += timedelta(days=1)
    return [rows[k] for k in sorted(rows)]


def week_xlsx(grid, *, title: str) -> bytes:
    """The week grid (``roster_dashboards.coverage_grid``) as an xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from residency.spreadsheets import human_sheet

    wb = Workbook()
    ws = wb.active
    ws.title = _("住夜排班")
    weekdays = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    human_sheet(ws, title=title, widths=[16] + [18] * len(grid.days), headers=[_("村(社区)")] + [
        f"{d:%m-%d} {weekdays[d.weekday()]}" + ("" if wd else _(" (休)"))
        for d, wd in zip(grid.days, grid.workdays, strict=True)])
    for village, cells in grid.rows:
        row = [village.name]
        for cell in cells:
            parts = [s.cadre.name + (_("(借调)") if s.borrowed else "") + ("✓" if s.checked_in_at else "")
                     for s in cell.stays]
            if cell.leave:
                parts.append(_("请假: ") + "、".join(cell.leave))
            if cell.workday and not cell.stays:
                parts.append(_("未覆盖"))
            row.append("\n".join(parts))
        ws.append(neutralise_row(row))
    for col in ws.iter_cols(min_row=3, max_row=ws.max_row):
        for c in col:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ics_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 3.1)."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > 74:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def cadre_ics(*, cadre, since: date, host: str = "tongxiang") -> str:
    """The cadre's published stays as an iCalendar feed (one query)."""
    stays = Stay.objects.filter(cadre=cadre, night__gte=since,
                                week__status=RosterWeek.Status.PUBLISHED).select_related("village").order_by("night")
    stamp_text = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tongxiang//roster//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", _fold("X-WR-CALNAME:" + _ics_escape(_("住村住夜"))),
             "X-WR-TIMEZONE:Asia/Shanghai"]
    for s in stays:
        lines += [
            "BEGIN:VEVENT", f"UID:stay-{s.pk}@{host}", f"DTSTAMP:{stamp_text}",
            f"DTSTART;TZID=Asia/Shanghai:{s.night:%Y%m%d}T180000",
            f"DTEND;TZID=Asia/Shanghai:{s.night + timedelta(days=1):%Y%m%d}T070000",
            _fold("SUMMARY:" + _ics_escape(_("住夜 · %(v)s") % {"v": s.village.name})),
            _fold("LOCATION:" + _ics_escape(_("%(v)s村部") % {"v": s.village.name})),
            "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
