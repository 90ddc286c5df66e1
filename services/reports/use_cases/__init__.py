"""reports' service layer: each use case takes a unit of work and its input, loads the case,
lets the rules of domain/ decide, stores and publishes. Refusals are domain errors
(services/reports/domain/errors.py); routes only translate."""
