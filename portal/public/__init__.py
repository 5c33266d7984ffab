"""Public pages: what residents read, no sign-in needed."""
