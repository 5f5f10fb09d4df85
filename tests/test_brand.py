"""The brand images: the files Home Assistant 2026.3+ serves, the sizes its rules ask for, and
exactly what scripts/brand.py draws (so they can be made again)."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

import numpy as np
from PIL import Image
import pytest

ROOT = Path(__file__).resolve().parents[1]
BRAND = ROOT / "custom_components" / "zero_cold_water" / "brand"
# homeassistant/components/brands/const.py (HA 2026.3+): the only names it serves.
SERVED = {
    "icon.png",
    "logo.png",
    "icon@2x.png",
    "logo@2x.png",
    "dark_icon.png",
    "dark_logo.png",
    "dark_icon@2x.png",
    "dark_logo@2x.png",
}


def _open(name: str) -> Image.Image:
    with Image.open(BRAND / name) as image:
        image.load()
        return image


def test_only_files_home_assistant_serves() -> None:
    shipped = {path.name for path in BRAND.iterdir()}
    assert shipped <= SERVED
    assert {"icon.png", "icon@2x.png", "logo.png", "logo@2x.png"} <= shipped


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_icons_are_square_and_transparent(name: str, size: int) -> None:
    image = _open(name)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.size == (size, size)
    alpha = np.asarray(image)[:, :, 3]
    assert alpha[0, 0] == alpha[-1, -1] == 0  # transparent background
    assert (alpha == 255).mean() > 0.3  # and a picture on it


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_logos_are_landscape_and_double_at_2x(prefix: str) -> None:
    logo, logo2x = _open(f"{prefix}logo.png"), _open(f"{prefix}logo@2x.png")
    assert logo.mode == logo2x.mode == "RGBA"
    assert logo.height == 128  # brand rules: 128-256 px high, 256-512 at @2x
    assert logo2x.height == 256
    assert logo.width > 3 * logo.height
    assert abs(logo2x.width - 2 * logo.width) <= 2


def test_dark_logo_names_it_in_a_light_colour() -> None:
    """The name is dark on the light logo and light on the dark one; the icon part is shared."""

    def text_luminance(name: str) -> float:
        pixels = np.asarray(_open(name)).astype(float)
        text = pixels[:, pixels.shape[0] + 10 :]  # right of the icon
        opaque = text[text[:, :, 3] == 255][:, :3]
        return float(opaque.mean())

    assert text_luminance("logo.png") < 80
    assert text_luminance("dark_logo.png") > 200


def test_files_are_what_the_script_draws(tmp_path: Path) -> None:
    subprocess.run(  # noqa: S603 - this repository's own script
        [sys.executable, str(ROOT / "scripts" / "brand.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    drawn = {path.name for path in tmp_path.iterdir()}
    assert drawn == {path.name for path in BRAND.iterdir()}
    for name in drawn:
        with Image.open(tmp_path / name) as image:
            pixels = np.asarray(image)
        assert np.array_equal(pixels, np.asarray(_open(name))), f"{name}: run scripts/brand.py"
