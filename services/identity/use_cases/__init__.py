"""identity's use cases: what each request does, and what it refuses (domain/errors.py).

Members are an organisation's, changed in a unit of work with their events. Sign-in codes,
sessions and the memberships of one address belong to a person, so sign-in and tokens work
on the platform store (storage.PlatformStore) instead.
"""
