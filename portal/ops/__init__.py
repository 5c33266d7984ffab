"""Operations: metrics, retention (purge), maintenance commands."""
