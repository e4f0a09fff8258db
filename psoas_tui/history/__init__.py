"""Past sessions: the SQLite store, the export format, importing, exporting, stats and sync."""
