"""Writing rows to the job's binary file: CSV (UTF-8 with BOM so that Excel opens the
Chinese text), reporting progress as it goes."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from residency.exports.registry import Progress

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_csv(out, *, header: Sequence[str], rows: Iterable[Sequence], progress: Progress) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        count += 1
        progress(count)
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return count


class CountingRows:
    """Wraps an iterable of rows and reports progress while a writer consumes it."""

    def __init__(self, rows: Iterable, progress: Progress):
        self.rows, self.progress, self.count = rows, progress, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            self.progress(self.count)
            yield row
