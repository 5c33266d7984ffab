"""Sign-in machinery: sessions, login challenges, TOTP and recovery codes, throttling,
one-time links, password hashing, route guards. Who may see what is
``portal.domain.scope``."""
