"""Account routes: /masuk, /keluar, /aktivasi/…, account management for staff and admin."""

ACCOUNT_ROUTES: list = []
