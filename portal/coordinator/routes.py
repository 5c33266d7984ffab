"""Coordinator routes, all under /koordinator and guarded by require_coordinator."""

COORDINATOR_ROUTES: list = []
