"""Sign-in, sign-out, two-factor, activation links and account management."""
