"""The plugin host: pluggy, bounded imports, per-plugin isolation, and the hook specifications."""
