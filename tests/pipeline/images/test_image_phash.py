"""Perceptual hash: copies of a picture stay within PHASH_THRESHOLD bits, different pictures do not.

The threshold (8 of 64 bits) is documented next to PHASH_THRESHOLD with the distances measured here.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import pytest
from imagegen import encode, gradient, noise, shapes, text
from PIL import Image, ImageEnhance

from kiosque.pipeline.images import PHASH_THRESHOLD, phash_distance, process_image
from kiosque.pipeline.types import ImageOptions

OPTIONS = ImageOptions()

PICTURES: dict[str, Callable[[], Image.Image]] = {
    "shapes-1": lambda: shapes(1),
    "shapes-2": lambda: shapes(2),
    "shapes-3": lambda: shapes(3),
    "gradient-1": lambda: gradient(1),
    "gradient-2": lambda: gradient(2),
    "gradient-3": lambda: gradient(3),
    "text-rabat": lambda: text("Rabat Casablanca Fès"),
    "text-paris": lambda: text("Paris Lyon Marseille"),
    "text-oujda": lambda: text("Tanger Agadir Oujda"),
    "noise-1": lambda: noise(1),
    "noise-2": lambda: noise(2),
}


def _crop(image: Image.Image, share: float) -> Image.Image:
    dx, dy = round(image.width * share), round(image.height * share)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


# What republishing does to a picture: (name, change, container, save parameters).
COPIES: list[tuple[str, Callable[[Image.Image], Image.Image], str, dict[str, object]]] = [
    ("half-size-jpeg-q60", lambda im: im.resize((im.width // 2, im.height // 2)), "JPEG", {"quality": 60}),
    ("jpeg-q40", lambda im: im, "JPEG", {"quality": 40}),
    ("webp-q50", lambda im: im, "WEBP", {"quality": 50}),
    ("crop-1pc-a-side", lambda im: _crop(im, 0.01), "PNG", {}),
    ("brighter-10pc", lambda im: ImageEnhance.Brightness(im).enhance(1.1), "JPEG", {"quality": 85}),
    ("upscaled-2.5x", lambda im: im.resize((im.width * 5 // 2, im.height * 5 // 2)), "JPEG", {"quality": 85}),
]


def _phash(image: Image.Image, fmt: str = "PNG", **params: object) -> str:
    return process_image(encode(image, fmt, **params), OPTIONS).phash


@functools.cache
def _original_phash(name: str) -> str:
    return _phash(PICTURES[name]())


@pytest.mark.parametrize(("copy", "change", "fmt", "params"), COPIES, ids=[copy[0] for copy in COPIES])
@pytest.mark.parametrize("name", list(PICTURES))
def test_copy_is_within_threshold(
    name: str, copy: str, change: Callable[[Image.Image], Image.Image], fmt: str, params: dict[str, object]
) -> None:
    original = PICTURES[name]()
    distance = phash_distance(_original_phash(name), _phash(change(original), fmt, **params))
    assert distance <= PHASH_THRESHOLD, f"{name} / {copy}: {distance} bits"


def test_different_pictures_are_beyond_threshold() -> None:
    hashes = {name: _original_phash(name) for name in PICTURES}
    close = [
        (a, b, phash_distance(hashes[a], hashes[b]))
        for a, b in itertools.combinations(hashes, 2)
        if phash_distance(hashes[a], hashes[b]) <= PHASH_THRESHOLD
    ]
    assert close == []
    assert len(set(hashes.values())) == len(hashes)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("0000000000000000", "0000000000000000", 0),
        ("0000000000000000", "ffffffffffffffff", 64),
        ("8000000000000001", "0000000000000000", 2),
        ("d7e4a39cd25a4187", "D7E4A39CD25A4187", 0),
    ],
)
def test_phash_distance_counts_differing_bits(a: str, b: str, distance: int) -> None:
    assert phash_distance(a, b) == distance


@pytest.mark.parametrize(("a", "b"), [("00ff", "0000000000000000"), ("zzzzzzzzzzzzzzzz", "0000000000000000")])
def test_phash_distance_rejects_malformed_hashes(a: str, b: str) -> None:
    with pytest.raises(ValueError, match="hash"):
        phash_distance(a, b)
