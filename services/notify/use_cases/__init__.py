"""notify's use cases: what the admin's requests do, and what they refuse (domain/errors.py)."""
