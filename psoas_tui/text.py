"""Small helpers for text shown to people, shared by the CLI and the app."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``1,200 sessions``; ``nouns`` for irregular plurals."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"
