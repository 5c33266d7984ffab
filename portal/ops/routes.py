"""Operational routes (metrics)."""

OPS_ROUTES: list = []
