"""Public routes (no sign-in). Each is a `public_page` (portal.public.cache)."""

from portal.public.eligibility_pages import eligibility
from portal.public.finder_pages import finder
from portal.public.home_pages import home
from portal.public.locations_pages import location, locations
from portal.public.privacy_pages import privacy, robots
from portal.public.progress_pages import progress_page
from portal.public.requirements_pages import requirements
from portal.public.schedule_pages import schedule, session

PUBLIC_ROUTES = [
    home,
    requirements,
    locations,
    location,
    finder,
    schedule,
    session,
    eligibility,
    progress_page,
    privacy,
    robots,
]
