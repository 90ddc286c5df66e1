"""Tenants that are not an organisation."""

from __future__ import annotations

# The regional centre's own side: its fallback contacts, news, trainings and their
# registrations, audited in a chain of its own. No organisation can register this address
# (services/policy/use_cases/organisations.py refuses it); the operators read its log.
REGIONAL_CENTRE = "regional-centre"
