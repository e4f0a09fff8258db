"""Built-in cue styles (filled in by the session-engine work)."""
