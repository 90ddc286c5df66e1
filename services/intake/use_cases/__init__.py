"""intake's service layer: each use case takes a unit of work and its input, checks it against
intake's read model, stores it and publishes the event that tells the other services.
Refusals are domain errors (services/intake/domain/errors.py); routes only translate."""
