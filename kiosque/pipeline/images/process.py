"""Verify a downloaded image and re-encode it for display: our bytes, never the publisher's, reach readers.

    process_image(content, options) -> ProcessedImage      raises ImageError with a readable reason

1. Refuse what is not a raster photo: empty bodies, SVG (it can carry scripts and external references),
   anything Pillow cannot open among ACCEPTED_FORMATS (a short list keeps the decoders we expose small).
2. Decompression-bomb guard: Pillow reads only the header on open, so the pixel count is checked against
   options.max_pixels before any pixel is decoded. Pillow's own process-wide guard (Image.MAX_IMAGE_PIXELS,
   left untouched: no global configuration) still stops absurd headers inside open().
3. Image.verify() (checksums, structure), then reopen (verify leaves the image unusable) and decode it
   fully, which catches truncated files. JPEGs are decoded at a reduced scale (draft) when the display
   size allows: a 24 Mpx photo decodes several times faster.
4. Refuse tracking pixels and spacers (a side < options.min_side) and banners or lines (aspect ratio
   over options.max_aspect_ratio).
5. EXIF orientation applied, alpha flattened on white, RGB; display and thumbnail sizes (keep aspect,
   never upscale); JPEG (Huffman-optimised baseline) or, when asked, WebP; no metadata written (EXIF, ICC,
   XMP, text). Measured on the demo pictures (bench/ingest.py): a display + thumbnail pair costs 1.7 ms in
   JPEG and 14.5 ms in WebP (method 2) for files 28 % smaller; progressive JPEG took 3 ms more for the same
   size. JPEG is the default so that images cost the crawler less than a tenth of an extraction;
   KIOSQUE_IMAGE_FORMAT=webp trades that CPU for lighter pages.

`width`/`height` are the original size as displayed (after EXIF orientation). `sha256` is of the
original bytes (the blocking key for an exact copy); `phash` is imagehash's DCT perceptual hash of the
thumbnail (64 bits, 16 hex digits; the hash shrinks the picture to 32x32 pixels first, so the thumbnail
gives the display image's hash within a bit, for a third of the time), the blocking key for near-identical
copies: see phash_distance and PHASH_THRESHOLD.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math

import imagehash
from PIL import Image, ImageOps, UnidentifiedImageError, features

from kiosque.pipeline.errors import ImageError
from kiosque.pipeline.types import ImageOptions, ProcessedImage

__all__ = ["ACCEPTED_FORMATS", "PHASH_THRESHOLD", "phash_distance", "process_image"]

# Pillow decoders tried (those this Pillow build has). JPEG also opens MPO, the multi-picture JPEG of
# cameras, whose first picture is a plain JPEG.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF")

# Two images whose phashes differ by at most this many bits (of 64) are taken as the same picture.
# Measured on generated pictures (tests/pipeline/images/test_image_phash.py: shapes, gradients, text,
# photo-like noise): copies resized (x0.5, x2.5), re-encoded (JPEG q40, WebP q50), cropped by 1 % a side or
# brightened by 10 % stay within 0-4 bits; different pictures are 22-42 bits apart. 8 leaves margin on both
# sides. Not caught reliably: a copy with a logo stamped on it (2-12 bits on sparse pictures such as text
# cards), and different cards made from one template, which phash sees as alike.
PHASH_THRESHOLD = 8

_WHITE = (255, 255, 255)
_RESAMPLE = Image.Resampling.LANCZOS
# Thumbnails shrink by the largest whole factor with a box filter first (Image.reduce), then Lanczos for the
# rest: 0.2 ms instead of 2.2 ms for a 640 -> 320 px picture (bench/ingest.py), and a 2x2 average is a sound
# downsampler at thumbnail size. The display size keeps Pillow's higher-quality gap of 3.
_THUMB_REDUCING_GAP = 1.0
_SVG_MARKERS = (b"<svg", b"<!doctype svg", b"http://www.w3.org/2000/svg")


def process_image(content: bytes, options: ImageOptions) -> ProcessedImage:
    """Verify `content` and return it re-encoded at display and thumbnail sizes (see module docstring)."""
    output_format = _output_format(options)
    _refuse_non_raster(content)
    image, (width, height) = _open_verified(content, options)
    if _is_quarter_turn(image):
        width, height = height, width
    display = _fit(_flatten(ImageOps.exif_transpose(image)), options.display_width)
    thumb = _fit(display, options.thumb_width, reducing_gap=_THUMB_REDUCING_GAP)
    return ProcessedImage(
        sha256=hashlib.sha256(content).hexdigest(),
        mime=_mime(image),
        width=width,
        height=height,
        display=_encode(display, output_format, options.jpeg_quality),
        display_size=display.size,
        thumb=_encode(thumb, output_format, options.jpeg_quality),
        thumb_size=thumb.size,
        output_format=output_format,
        phash=str(imagehash.phash(thumb)),
        extra={"animated": "true"} if getattr(image, "n_frames", 1) > 1 else {},
    )


def phash_distance(a: str, b: str) -> int:
    """Hamming distance in bits between two phash hex strings; 0 = same picture. ValueError if malformed."""
    if len(a) != len(b):
        raise ValueError(f"perceptual hashes of different sizes: {a!r} and {b!r}")
    try:
        return int(imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b))
    except ValueError as exc:
        raise ValueError(f"not a perceptual hash in hex: {a!r} or {b!r}") from exc


# ---------------------------------------------------------------- verification
def _refuse_non_raster(content: bytes) -> None:
    if not content:
        raise ImageError("empty body: no image")
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and any(marker in head for marker in _SVG_MARKERS):
        raise ImageError("SVG image refused: vector files can carry scripts and external references")


def _open(content: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(content), formats=_decoders())
    except Image.DecompressionBombError as exc:
        raise ImageError(f"decompression bomb refused by Pillow: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise ImageError(
            f"not an image in an accepted format ({', '.join(ACCEPTED_FORMATS)}): {_peek(content)}"
        ) from exc


@functools.cache
def _decoders() -> tuple[str, ...]:
    Image.init()  # registers every plugin this Pillow build has
    return tuple(name for name in ACCEPTED_FORMATS if name in Image.OPEN)


def _open_verified(content: bytes, options: ImageOptions) -> tuple[Image.Image, tuple[int, int]]:
    """The decoded image (maybe at a reduced JPEG scale) and its size in the file, before orientation."""
    header = _open(content)
    width, height = header.size
    if width * height > options.max_pixels:
        raise ImageError(f"image too large: {width}x{height} pixels is over the {options.max_pixels} pixel limit")
    if min(width, height) < options.min_side:
        raise ImageError(f"image too small ({width}x{height}): a tracking pixel or a spacer")
    if max(width, height) / min(width, height) > options.max_aspect_ratio:
        raise ImageError(
            f"image {width}x{height} has an aspect ratio over {options.max_aspect_ratio:g}: a banner or a line"
        )
    try:
        header.verify()
    except (OSError, SyntaxError, ValueError) as exc:  # what Pillow's plugins raise on corrupt data
        raise ImageError(f"corrupt {header.format} image: {exc}") from exc
    image = _open(content)  # verify() leaves the image unusable: reopen it
    _draft(image, options.display_width)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"truncated or corrupt {image.format} image: {exc}") from exc
    return image, (width, height)


def _draft(image: Image.Image, display_width: int) -> None:
    """JPEG only: let libjpeg decode at 1/2, 1/4 or 1/8 scale, never below what the display size needs."""
    if image.format not in ("JPEG", "MPO"):
        return
    oriented_width = image.height if _is_quarter_turn(image) else image.width
    scale = min(1.0, display_width / oriented_width)
    image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _is_quarter_turn(image: Image.Image) -> bool:
    # EXIF orientations 5-8 rotate by 90 or 270 degrees (0x0112 is the Orientation tag); exif_transpose
    # reads the same tag. Pillow logs and skips unreadable EXIF rather than raising.
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def _mime(image: Image.Image) -> str:
    fmt = "JPEG" if image.format == "MPO" else image.format
    return Image.MIME.get(fmt or "", "application/octet-stream")


def _peek(content: bytes) -> str:
    return f"starts with {content[:16]!r}"


# ------------------------------------------------------------------ re-encoding
def _flatten(image: Image.Image) -> Image.Image:
    """RGB, transparent areas on white (news pages are light; black would show logos as black boxes)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (*_WHITE, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _fit(image: Image.Image, width: int, *, reducing_gap: float = 3.0) -> Image.Image:
    """Resize to `width`, keeping the aspect ratio; never upscale. Always a new image without metadata."""
    if image.width <= width:
        fitted = image.copy()
    else:
        height = max(1, round(image.height * width / image.width))
        fitted = image.resize((width, height), _RESAMPLE, reducing_gap=reducing_gap)
    fitted.info = {}  # no EXIF, ICC profile, XMP or comments in our output
    return fitted


def _output_format(options: ImageOptions) -> str:
    if options.output_format not in ("webp", "jpeg"):
        raise ValueError(f"ImageOptions.output_format must be 'webp' or 'jpeg', not {options.output_format!r}")
    if options.output_format == "webp" and not features.check("webp"):
        raise ValueError("ImageOptions.output_format is 'webp' but this Pillow cannot write WebP")
    return options.output_format


def _encode(image: Image.Image, output_format: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if output_format == "webp":
        # method=2: measured on the demo pictures, 18 ms per display+thumbnail pair against 29 ms for
        # Pillow's default method 4, for files 2 % larger (method 0 is faster but 48 % larger).
        image.save(buffer, "WEBP", quality=quality, method=2)
    else:
        image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
