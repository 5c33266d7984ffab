"""Staff area (/petugas): triage, sessions, rosters, content, dashboard."""
