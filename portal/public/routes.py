"""Public routes (no sign-in). Each is a `public_page` (portal.public.cache)."""

from portal.public.about import privacy, robots
from portal.public.eligibility import eligibility
from portal.public.finder import finder
from portal.public.home import home
from portal.public.locations import location_detail, location_list
from portal.public.progress import progress
from portal.public.requirements import requirements
from portal.public.schedule import schedule, session_page

PUBLIC_ROUTES = [
    home,
    requirements,
    location_list,
    location_detail,
    finder,
    schedule,
    session_page,
    eligibility,
    progress,
    privacy,
    robots,
]
