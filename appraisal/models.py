"""Violations, the penalty ladder, review meetings, grades and 金口碑 (rule R3)."""
