"""Notifications and reminders (issue 6)."""
