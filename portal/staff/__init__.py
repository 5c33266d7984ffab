"""Staff area (``staff:*`` routes): triage, sessions, rosters, content, dashboard."""
