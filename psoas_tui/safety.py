"""The safety notice's words, shared by the app's safety screen and plain mode (no Textual)."""

from __future__ import annotations

SAFETY_TITLE = "Before you stretch"
SAFETY_POINTS: tuple[str, ...] = (
    "psoas-tui is a timer and a log. It is not medical advice, and it cannot see how you move.",
    "Stretch gently, to mild tension. Never bounce, and never push through pain.",
    "Stop at once on sharp pain, or if you feel numbness or tingling, or pain spreading into the "
    "buttock or leg — and talk to a health professional.",
    "After surgery or an injury (hip, spine or a joint replacement), in pregnancy, or with "
    "osteoporosis or hypermobility, ask a doctor or physiotherapist before you start.",
)
SAFETY_FOOTER = "You can read this again any time: press F1 for help, or use the command palette."


def safety_lines() -> list[str]:
    """The notice as plain text lines (plain mode prints it once)."""
    return [f"{SAFETY_TITLE}:", *(f"  - {point}" for point in SAFETY_POINTS)]
