"""Honest placeholder pictures for the demo (the recorded pages come without their images).

Each picture is a gradient with a pattern that varies per article, the outlet's name and the
words "Image de démonstration", so nobody mistakes it for a press photo.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

__all__ = ["placeholder_jpeg", "resized_jpeg"]

WIDTH, HEIGHT = 640, 360
MAX_BYTES = 19_500
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int], bytes]:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    start = (40 + digest[0] % 140, 40 + digest[1] % 140, 40 + digest[2] % 140)
    end = (90 + digest[3] % 150, 90 + digest[4] % 150, 90 + digest[5] % 150)
    return start, end, digest


def _gradient(start: tuple[int, int, int], end: tuple[int, int, int]) -> Image.Image:
    # Diagonal gradient built from two 1-D ramps: cheap and identical on every run.
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    tilt = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    mask = Image.blend(ramp, tilt, 0.5)
    return Image.composite(Image.new("RGB", (WIDTH, HEIGHT), end), Image.new("RGB", (WIDTH, HEIGHT), start), mask)


def _pattern(image: Image.Image, digest: bytes) -> None:
    draw = ImageDraw.Draw(image, "RGBA")
    step = 24 + digest[6] % 40
    shade = (255, 255, 255, 28 + digest[7] % 30)
    for offset in range(-HEIGHT, WIDTH, step):
        draw.line([(offset, 0), (offset + HEIGHT, HEIGHT)], fill=shade, width=2 + digest[8] % 6)
    for index in range(6):
        x = digest[9 + index] * WIDTH // 255
        y = digest[15 + index] * HEIGHT // 255
        radius = 20 + digest[21 + index] % 70
        colour = (digest[index], digest[index + 3], digest[index + 6], 70)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour, outline=(255, 255, 255, 90))


def _caption(image: Image.Image, label: str, subtitle: str) -> None:
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle([0, HEIGHT - 96, WIDTH, HEIGHT], fill=(0, 0, 0, 120))
    big, small = _font(30), _font(18)
    notice = "Image de démonstration" if Path(_FONT).exists() else "Image de demonstration"
    if not label.isascii() and not features.check("raqm"):
        label = subtitle  # Arabic needs shaping (libraqm); without it show the host name instead
    draw.text((24, HEIGHT - 86), label, font=big, fill=(255, 255, 255))
    draw.text((24, HEIGHT - 44), notice + " · " + subtitle, font=small, fill=(235, 235, 235))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # DejaVu has the accented letters; Pillow's built-in font does not (then we write plain ASCII).
    if Path(_FONT).exists():
        return ImageFont.truetype(_FONT, size)
    return ImageFont.load_default(size=size)


def placeholder_jpeg(seed: str, *, label: str, subtitle: str = "", quality: int = 62) -> bytes:
    """A 640x360 JPEG (about 10-20 KB) that differs for every seed."""
    start, end, digest = _palette(seed)
    image = _gradient(start, end)
    _pattern(image, digest)
    _caption(image, label, subtitle)
    # Step the quality down until the file fits the 8-20 KB budget (deterministic: same steps every run).
    for step in (quality, quality - 8, quality - 16, quality - 24, quality - 32):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=step, optimize=True)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()


def resized_jpeg(data: bytes, *, width: int = 480) -> bytes:
    """The same picture at another size (different bytes, same perceptual content)."""
    with Image.open(io.BytesIO(data)) as original:
        height = round(original.height * width / original.width)
        smaller = original.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    smaller.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
