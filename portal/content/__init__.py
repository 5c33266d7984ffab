"""Public content: the seed data file and its typed loader."""
