"""intake's rules that are its own; the rules it shares with policy are in shared/domain/."""
