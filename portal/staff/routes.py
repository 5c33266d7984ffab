"""Staff routes, all under /petugas and guarded by require_staff."""

STAFF_ROUTES: list = []
