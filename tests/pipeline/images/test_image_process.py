"""process_image on pictures generated with Pillow: what is accepted, how it is re-encoded, what is refused."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from imagegen import encode, gradient, noise, png_header, shapes, text
from PIL import Image, ImageCms, features

from kiosque.pipeline.errors import ImageError, Severity
from kiosque.pipeline.images import phash_distance, process_image
from kiosque.pipeline.types import ImageOptions

DEFAULT = ImageOptions()
WEBP = features.check("webp")
EXPECTED_FORMAT = "jpeg"  # the default


def _png_with_alpha() -> bytes:
    """400x300, left half fully transparent red, right half opaque blue."""
    image = Image.new("RGBA", (400, 300), (0, 0, 255, 255))
    image.paste((255, 0, 0, 0), (0, 0, 200, 300))
    return encode(image, "PNG")


def _animated_gif() -> bytes:
    frames = [shapes(seed).convert("P") for seed in (1, 2)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _gif_with_transparency() -> bytes:
    image = Image.new("P", (200, 100), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 100, 100))
    return encode(image, "GIF", transparency=0)


def _rotated_jpeg() -> bytes:
    """600x400 as stored, red corner top-left, EXIF orientation 6: shown 400x600, red corner top-right."""
    image = Image.new("RGB", (600, 400), (255, 255, 255))
    image.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(image, "JPEG", exif=exif.tobytes(), quality=95)


def _jpeg_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0131] = "Editing Suite 9"  # Software
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(shapes(4, (1200, 800)), "JPEG", exif=exif.tobytes(), icc_profile=srgb, comment=b"secret")


def _cmyk_jpeg() -> bytes:
    return encode(gradient(5).convert("CMYK"), "JPEG")


@dataclass(frozen=True)
class Accepted:
    name: str
    make: Callable[[], bytes]
    mime: str
    size: tuple[int, int]  # original, as displayed
    display: tuple[int, int]
    thumb: tuple[int, int]
    options: ImageOptions = DEFAULT
    output_format: str = EXPECTED_FORMAT
    extra: dict[str, str] = field(default_factory=dict)


ACCEPTED = [
    Accepted("jpeg", lambda: encode(shapes(1, (1200, 800)), "JPEG"), "image/jpeg", (1200, 800), (960, 640), (320, 213)),
    Accepted("png-alpha", _png_with_alpha, "image/png", (400, 300), (400, 300), (320, 240)),
    Accepted(
        "gif-animated", _animated_gif, "image/gif", (640, 480), (640, 480), (320, 240), extra={"animated": "true"}
    ),
    Accepted("gif-transparent", _gif_with_transparency, "image/gif", (200, 100), (200, 100), (200, 100)),
    Accepted("webp", lambda: encode(noise(1, (800, 600)), "WEBP"), "image/webp", (800, 600), (800, 600), (320, 240)),
    Accepted("exif-rotated-jpeg", _rotated_jpeg, "image/jpeg", (400, 600), (400, 600), (320, 480)),
    Accepted("jpeg-metadata", _jpeg_with_metadata, "image/jpeg", (1200, 800), (960, 640), (320, 213)),
    Accepted("cmyk-jpeg", _cmyk_jpeg, "image/jpeg", (640, 480), (640, 480), (320, 240)),
    Accepted(
        "large-jpeg-draft",
        lambda: encode(shapes(3, (4000, 3000)), "JPEG"),
        "image/jpeg",
        (4000, 3000),
        (960, 720),
        (320, 240),
    ),
    Accepted(
        "smallest-accepted", lambda: encode(shapes(2, (17, 17)), "PNG"), "image/png", (17, 17), (17, 17), (17, 17)
    ),
    Accepted(
        "webp-output",
        lambda: encode(text("Rabat Casablanca Agadir"), "PNG"),
        "image/png",
        (640, 480),
        (600, 450),
        (100, 75),
        options=ImageOptions(display_width=600, thumb_width=100, output_format="webp"),
        output_format="webp",
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_accepted(case: Accepted) -> None:
    content = case.make()
    result = process_image(content, case.options)

    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert (result.mime, (result.width, result.height)) == (case.mime, case.size)
    assert (result.display_size, result.thumb_size) == (case.display, case.thumb)
    assert result.output_format == case.output_format
    assert dict(result.extra) == case.extra
    assert len(result.phash) == 16 and int(result.phash, 16) >= 0
    for data, size in ((result.display, case.display), (result.thumb, case.thumb)):
        decoded = Image.open(io.BytesIO(data))
        assert decoded.format == case.output_format.upper()
        assert (decoded.size, decoded.mode) == (size, "RGB")
        assert not decoded.getexif() and "icc_profile" not in decoded.info and "comment" not in decoded.info


def _pixel(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    return tuple(Image.open(io.BytesIO(data)).convert("RGB").getpixel(xy))  # type: ignore[arg-type]


def _close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_alpha_is_flattened_on_white() -> None:
    result = process_image(_png_with_alpha(), DEFAULT)
    assert _close(_pixel(result.display, (50, 150)), (255, 255, 255))  # was transparent red
    assert _close(_pixel(result.display, (350, 150)), (0, 0, 255))


def test_gif_transparency_is_flattened_on_white() -> None:
    result = process_image(_gif_with_transparency(), DEFAULT)
    assert _close(_pixel(result.display, (50, 50)), (255, 255, 255))
    assert _close(_pixel(result.display, (150, 50)), (255, 0, 0))


def test_exif_orientation_is_applied() -> None:
    result = process_image(_rotated_jpeg(), DEFAULT)
    assert _close(_pixel(result.display, (350, 50)), (255, 0, 0))  # the red corner moved top-right
    assert _close(_pixel(result.display, (50, 50)), (255, 255, 255))


def test_same_picture_in_another_container_has_the_same_phash() -> None:
    picture = shapes(7, (800, 600))
    hashes = {fmt: process_image(encode(picture, fmt), DEFAULT).phash for fmt in ("PNG", "JPEG", "WEBP", "GIF")}
    assert max(phash_distance(hashes["PNG"], other) for other in hashes.values()) <= 4


@dataclass(frozen=True)
class Refused:
    name: str
    make: Callable[[], bytes]
    reason: str  # a part of the readable reason
    options: ImageOptions = DEFAULT


def _truncated_jpeg() -> bytes:
    content = encode(noise(4, (800, 600)), "JPEG")
    return content[: len(content) // 2]


def _corrupt_png() -> bytes:
    content = bytearray(encode(shapes(5), "PNG"))
    content[60] ^= 0xFF  # inside the first IDAT: the chunk's CRC no longer matches
    return bytes(content)


SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>alert(1)</script></svg>'
)

REFUSED = [
    Refused("empty", lambda: b"", "empty body"),
    Refused("text", lambda: b"Ceci n'est pas une image.\n", "not an image"),
    Refused("html", lambda: b"<!doctype html><html><body>404</body></html>", "not an image"),
    Refused("svg", lambda: SVG, "SVG"),
    Refused("svg-no-prolog", lambda: SVG.split(b"\n", 1)[1], "SVG"),
    Refused("tiff", lambda: encode(shapes(1), "TIFF"), "not an image"),
    Refused("pixel-1x1-gif", lambda: encode(Image.new("P", (1, 1)), "GIF"), "tracking pixel"),
    Refused("pixel-16x16-png", lambda: encode(Image.new("RGB", (16, 16)), "PNG"), "tracking pixel"),
    Refused("spacer-line", lambda: encode(Image.new("RGB", (600, 1)), "PNG"), "tracking pixel"),
    Refused("banner", lambda: encode(shapes(1, (1800, 200)), "PNG"), "aspect ratio"),
    Refused("tall-strip", lambda: encode(shapes(1, (60, 900)), "PNG"), "aspect ratio"),
    Refused("truncated-jpeg", _truncated_jpeg, "truncated"),
    Refused("corrupt-png", _corrupt_png, "corrupt"),
    Refused("png-bomb-100000x100000", lambda: png_header(100_000, 100_000), "decompression bomb"),
    Refused(
        "png-over-max-pixels",
        lambda: png_header(3000, 3000),
        "over the 1000000 pixel limit",
        ImageOptions(max_pixels=1_000_000),
    ),
]


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_refused(case: Refused) -> None:
    with pytest.raises(ImageError) as caught:
        process_image(case.make(), case.options)
    assert case.reason in caught.value.reason
    assert caught.value.severity is Severity.SOFT


def test_unknown_output_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="output_format"):
        process_image(encode(shapes(1), "PNG"), ImageOptions(output_format="gif"))


def test_corrupt_exif_does_not_lose_the_picture() -> None:
    """Pillow warns about unreadable EXIF and goes on; the picture is kept, unrotated."""
    content = encode(shapes(6, (300, 200)), "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03")
    with pytest.warns(UserWarning, match="Corrupt EXIF"):
        result = process_image(content, DEFAULT)
    assert (result.width, result.height, result.display_size) == (300, 200, (300, 200))
