"""Coordinator area (/koordinator): lists of residents who still need recording."""
