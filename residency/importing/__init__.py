"""Spreadsheet imports (townships, villages, cadres, and kinds other apps register).

Pure modules: ``reading`` (bytes -> table, refusing hostile files), ``rows`` (headers,
cells, errors), ``places`` (resolving township/village codes or names), one module per
kind (``townships``, ``villages``, ``cadres``) that turns rows into records or errors.
``lookups`` reads what validation needs from the database in a fixed number of queries;
``services`` saves a whole valid file in one transaction. Other apps add kinds with
``register_kind`` (nightlog registers households in its ``AppConfig.ready``).

Kept free of model imports: ``residency.models`` imports ``importing.models``.
"""
from residency.importing.registry import (
           ImportContext,
           ImportKind,
           available_kinds,
           get_kind,
           register_kind,
)
from residency.importing.rows import Column, RowError

__all__ = ["Column", "ImportContext", "ImportKind", "RowError", "available_kinds", "get_kind",
           "register_kind"]
