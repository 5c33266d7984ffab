"""Sign-in sessions, guards and everything about who may do what."""
