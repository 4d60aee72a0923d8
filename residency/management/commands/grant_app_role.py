"""Give the application's database role what it needs and no more (PostgreSQL).

Run by the owner role after every ``migrate`` (docs/OPERATIONS.md): the application role
reads and writes every table, but on the audit log it may only INSERT and SELECT (and set
``user_id`` to NULL, which is how deleting a user detaches its rows; the trigger allows
nothing else). It owns nothing, so it cannot drop or disable the triggers either."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

AUDIT_TABLE = "residency_auditlog"


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    return [
        f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
        f"TO {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}",
        f"GRANT UPDATE (user_id) ON {AUDIT_TABLE} TO {quoted}",
    ]


class Command(BaseCommand):
    help = ("Grant the application's database role read-write access to every table, and only "
            "INSERT and SELECT on the audit log (PostgreSQL; run as the owner after migrate).")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web and worker processes log in as")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role 仅适用于 PostgreSQL (PostgreSQL only).")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in grant_statements(role):
                cursor.execute(statement)
        self.stdout.write(f"{role}: read-write on every table, INSERT and SELECT on {AUDIT_TABLE}")
