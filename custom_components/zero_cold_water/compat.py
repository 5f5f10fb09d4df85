"""Differences between the Home Assistant versions this integration supports (2025.4 onward).

Each shim names the version that made it necessary, so it can go when hacs.json's minimum passes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# HA 2026.x validates with probatio, a voluptuous-compatible library, and no longer ships
# voluptuous; older versions have only voluptuous.
if TYPE_CHECKING:
    import probatio as vol
else:
    try:
        import probatio as vol
    except ImportError:  # Home Assistant before probatio
        import voluptuous as vol

__all__ = ["vol"]
