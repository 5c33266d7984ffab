"""Pure domain rules (NIK, ages, dates, phones, passwords): no framework, no database."""
