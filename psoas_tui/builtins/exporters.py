"""Built-in exporters (filled in by the history work)."""
