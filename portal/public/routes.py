"""Public routes (no sign-in)."""

from portal.public.home import home

PUBLIC_ROUTES = [home]
