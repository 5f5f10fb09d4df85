"""Draw the integration's brand images (custom_components/zero_cold_water/brand/).

A pipe loop that turns from cold blue to hot red, with an arrow for the circulation, around a hot
water drop: cold water pushed round until the tap runs hot. The logo puts the name beside it.
Drawn with matplotlib (requirements/dev.txt), so the images can be made again:

    .venvs/latest/bin/python scripts/brand.py

Home Assistant 2026.3+ serves these files for a custom integration (homeassistant/components/
brands: icon.png, icon@2x.png, logo.png, logo@2x.png and dark_ variants, each falling back to
the next). The icon's colours read on light and dark backgrounds alike, so only the logo, whose
name is dark text, has dark_ variants.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
import math
from pathlib import Path
import sys

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.patches import Ellipse, PathPatch, Polygon, Wedge
from matplotlib.path import Path as MplPath
import numpy as np
from numpy.typing import NDArray

BRAND = Path(__file__).resolve().parents[1] / "custom_components" / "zero_cold_water" / "brand"
NAME = "Zero Cold Water"
COLD = "#1e88e5"
HOT = "#e53935"
LOOP = LinearSegmentedColormap.from_list("loop", [COLD, "#8e5bd0", HOT])
DROP = LinearSegmentedColormap.from_list("drop", [HOT, "#ff7043", "#ffb74d"])
TEXT = {"light": "#263238", "dark": "#eceff1"}
"""The name's colour on a light background (logo) and on a dark one (dark_logo)."""

ICON_SIZES = {"icon.png": 256, "icon@2x.png": 512}
LOGO_HEIGHTS = {"logo.png": 128, "logo@2x.png": 256}
"""Home Assistant's brand rules: icons square 256 / 512 px, logos 128-256 / 256-512 px high."""

Image = NDArray[np.uint8]


def _loop(ax: Axes) -> None:
    """The pipe loop: cold at its tail, hot at its arrow head, a gap at the top right."""
    start, sweep, radius, width = 70.0, 290.0, 0.43, 0.105
    steps = 120
    for i in range(steps):
        theta = start + sweep * i / steps
        ax.add_patch(
            Wedge(
                (0.5, 0.5),
                radius,
                theta,
                theta + sweep / steps + 0.6,  # overlap: no hairline seams between segments
                width=width,
                color=LOOP(1.0 - i / steps),
                linewidth=0,
            )
        )
    # The arrow head at the hot end, across the pipe, pointing along the flow (clockwise).
    end = math.radians(start)
    mid = radius - width / 2
    radial = (math.cos(end), math.sin(end))
    tangent = (math.sin(end), -math.cos(end))
    centre = (0.5 + mid * radial[0], 0.5 + mid * radial[1])
    half, length = width * 1.1, width * 1.5
    base = [(centre[0] + s * half * radial[0], centre[1] + s * half * radial[1]) for s in (1, -1)]
    tip = (centre[0] + length * tangent[0], centre[1] + length * tangent[1])
    ax.add_patch(Polygon([base[0], tip, base[1]], closed=True, color=HOT, linewidth=0))


def _drop_path(cx: float, cy: float, r: float, height: float) -> MplPath:
    """A drop: a circle at the bottom, its sides running straight to a point above."""
    phi = math.acos(r / height)  # where the sides touch the circle, from the vertical
    tip = (cx, cy + height)
    right, left = math.pi / 2 - phi, math.pi / 2 + phi
    arc = np.linspace(right, left - 2 * math.pi, 60)
    vertices = [tip, *((cx + r * math.cos(a), cy + r * math.sin(a)) for a in arc), tip]
    codes = [MplPath.MOVETO, *[MplPath.LINETO] * (len(vertices) - 2), MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


def _drop(ax: Axes) -> None:
    """The hot water drop in the middle, red at the bottom to orange at the top."""
    cx, cy, r, height = 0.5, 0.41, 0.16, 0.37
    outline = PathPatch(_drop_path(cx, cy, r, height), facecolor="none", edgecolor="none")
    ax.add_patch(outline)
    gradient = np.linspace(0.0, 1.0, 256).reshape(-1, 1)
    shade = ax.imshow(
        gradient,
        cmap=DROP,
        extent=(cx - r, cx + r, cy - r, cy + height),
        origin="lower",
        aspect="auto",
        interpolation="bilinear",
    )
    shade.set_clip_path(outline)
    ax.add_patch(
        Ellipse(
            (cx - 0.055, cy + 0.02), 0.05, 0.1, angle=20, color="white", alpha=0.55, linewidth=0
        )
    )


def _canvas(width_px: int, height_px: int, box: tuple[float, float]) -> tuple[Figure, Axes]:
    """A transparent figure of exactly ``width_px`` x ``height_px`` and data limits ``box``."""
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_alpha(0.0)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0.0, box[0])
    ax.set_ylim(0.0, box[1])
    ax.set_axis_off()
    return fig, ax


def _pixels(fig: Figure) -> Image:
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # noqa: S101 - set by _canvas
    canvas.draw()  # type: ignore[no-untyped-call]
    return np.asarray(canvas.buffer_rgba()).copy()  # type: ignore[no-untyped-call]


def icon(size: int) -> Image:
    """The square icon, ``size`` pixels wide."""
    fig, ax = _canvas(size, size, (1.0, 1.0))
    _loop(ax)
    _drop(ax)
    return _pixels(fig)


def logo(height: int, theme: str) -> Image:
    """The icon with the name beside it, ``height`` pixels high, trimmed at the right."""
    aspect = 6.5
    fig, ax = _canvas(round(height * aspect), height, (aspect, 1.0))
    _loop(ax)
    _drop(ax)
    ax.text(
        1.14,
        0.47,
        NAME,
        fontsize=height * 0.27,
        fontweight="bold",
        family="DejaVu Sans",
        color=TEXT[theme],
        va="center",
        ha="left",
    )
    pixels = _pixels(fig)
    columns = np.nonzero(pixels[:, :, 3].any(axis=0))[0]
    margin = max(1, height // 32)
    return pixels[:, : min(pixels.shape[1], int(columns[-1]) + 1 + margin)]


def images() -> dict[str, Callable[[], Image]]:
    """Every brand file and how to draw it."""
    found: dict[str, Callable[[], Image]] = {
        name: partial(icon, size) for name, size in ICON_SIZES.items()
    }
    for name, height in LOGO_HEIGHTS.items():
        found[name] = partial(logo, height, "light")
        found[f"dark_{name}"] = partial(logo, height, "dark")
    return found


def main() -> None:
    """Draw every brand image into the integration's brand/ folder (or the folder given)."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else BRAND
    folder.mkdir(exist_ok=True)
    for name, draw in images().items():
        pixels = draw()
        # No "Software" chunk: the file depends on the drawing alone, not on matplotlib's version.
        imsave(folder / name, pixels, metadata={"Software": None})  # type: ignore[dict-item]
        print(f"{folder / name}: {pixels.shape[1]}x{pixels.shape[0]}")


if __name__ == "__main__":
    main()
