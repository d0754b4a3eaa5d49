"""Pictures generated with Pillow for the image-stage tests (deterministic: fixed seeds, no files).

A plain module, not a conftest: test modules import it by name (pytest puts this folder on sys.path).
"""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter, ImageFont


def shapes(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Coloured ellipses, rectangles and polygons on a light background, laid out by `seed`."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (rng.randrange(180, 256), rng.randrange(180, 256), rng.randrange(180, 256)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = (x0, y0, x0 + rng.randrange(width // 8, width // 2), y0 + rng.randrange(height // 8, height // 2))
        colour = (rng.randrange(256), rng.randrange(100), rng.randrange(256))
        kind = rng.choice(("ellipse", "rectangle", "polygon"))
        if kind == "ellipse":
            draw.ellipse(box, fill=colour)
        elif kind == "rectangle":
            draw.rectangle(box, fill=colour)
        else:
            draw.polygon([(box[0], box[3]), ((box[0] + box[2]) // 2, box[1]), (box[2], box[3])], fill=colour)
    return image


def gradient(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A linear gradient at an angle set by `seed`, with a dark disc and a light bar placed by `seed`."""
    rng = random.Random(seed)
    ramp = Image.linear_gradient("L").rotate(rng.randrange(360), resample=Image.Resampling.BICUBIC, expand=False)
    image = Image.merge("RGB", (ramp, ramp.point(lambda v: 255 - v), ramp.point(lambda v: v // 2))).resize(size)
    draw = ImageDraw.Draw(image)
    x, y = rng.randrange(size[0] * 2 // 3), rng.randrange(size[1] * 2 // 3)
    draw.ellipse((x, y, x + size[0] // 3, y + size[1] // 3), fill=(20, 20, 60))
    x, y = rng.randrange(size[0] * 2 // 3), rng.randrange(size[1] - 40)
    draw.rectangle((x, y, x + size[0] // 3, y + 40), fill=(240, 230, 200))
    return image


def text(words: str, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Black words on white, one per line, each line indented and sized by its word."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    y = 20
    for word in words.split()[:3]:
        font = ImageFont.load_default(size=48 + 12 * (len(word) % 4))
        draw.text((20 + 40 * (len(word) % 5), y), word, fill="black", font=font)
        y += 60 + 12 * (len(word) % 4) + 40
    return image


def noise(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Blurred coloured noise: photo-like texture with no shape."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 16, size[1] // 16))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(small.width * small.height)]
    )
    return small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    if fmt == "PNG":
        params = {"compress_level": 1, **params}  # fast: the tests make hundreds of them
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming width x height, with a tiny IDAT: the bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
