"""The spreadsheet import's rows of the permission matrix (tests/test_permission_matrix.py).

Without a pending upload the preview and confirm redirect (302) to the start page; the
scope of the rows themselves is tested in tests/residency/importing/test_views.py."""
from __future__ import annotations

from residency.access.roles import Role

IMPORTERS = {Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}

IMPORT_MATRIX: dict[str, dict] = {
    "residency:import-start": {"roles": IMPORTERS},
    "residency:import-template": {"roles": IMPORTERS, "in": lambda c: {"kind": "villages"}},
    "residency:import-preview": {"roles": IMPORTERS, "ok": 302},  # nothing uploaded: back to start
    "residency:import-confirm": {"roles": IMPORTERS, "method": "post"},
}
