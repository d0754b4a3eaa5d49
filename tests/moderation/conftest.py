"""Moderation fixtures: a picture used by several articles and outlets (the same file, a resized copy), an
unrelated picture, reporters, and moderators."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from PIL import Image as PILImage

from kiosque.articles.models import Article, Image
from kiosque.moderation.services import Reporter
from tests.factories import make_article, make_image, make_source, picture_bytes


def reporter(n: int, *, address: int | None = None) -> Reporter:
    """Reader n, from address n unless told otherwise (already hashed: services never see raw values)."""
    return Reporter(key=f"reader-{n:04d}", address=f"address-{n if address is None else address:04d}")


def resized(content: bytes, *, factor: float, quality: int = 80) -> bytes:
    """The same picture, rescaled and re-encoded: another file (another sha256), a near-identical phash."""
    img = PILImage.open(io.BytesIO(content))
    img = img.resize((round(img.width * factor), round(img.height * factor)), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def make_moderator(username: str = "modo", *, password: str = "correct horse battery") -> User:
    """A staff user in the Moderators group (recreated here: transactional tests flush the migration's group)."""
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(content_type__app_label="moderation", codename="moderate_images"))
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(group)
    return User.objects.get(pk=user.pk)  # fresh: permission caches are per instance


@dataclass
class Scene:
    """Picture P used by `original` (Le Matin), by `same_file` (another URL, identical bytes, another outlet)
    and by `resized_copy` (x1.5, re-encoded, a third outlet); picture Q, unrelated, used by `other`."""

    original: Article
    same_file: Article
    resized_copy: Article
    other: Article

    def image(self, name: str) -> Image:
        return Image.objects.get(pk=getattr(self, name).image_id)

    @property
    def picture_ids(self) -> list[int]:
        return [self.original.image_id, self.same_file.image_id, self.resized_copy.image_id]  # type: ignore[list-item]


def build_scene(seed: int = 11, *, suffix: str = "") -> Scene:
    content = picture_bytes(seed)
    le_matin = make_source(f"Le Matin{suffix}", slug=f"le-matin{suffix}")
    hespress = make_source(f"Hespress FR{suffix}", slug=f"hespress-fr{suffix}")
    alyaoum = make_source(f"اليوم 24{suffix}", slug=f"alyaoum{suffix}", languages=["ar"])
    original = make_article(le_matin, title="Le conseil de gouvernement se réunit",
                            image=make_image(origin_url=f"https://lematin.example/p{suffix}.jpg", content=content))
    same_file = make_article(hespress, title="Conseil de gouvernement : l'ordre du jour",
                             image=make_image(origin_url=f"https://cdn.hespress.example/x/p{suffix}.jpg",
                                              content=content))
    resized_copy = make_article(alyaoum, title="الحكومة تعقد اجتماعها", language="ar", lead="مقدمة.",
                                image=make_image(origin_url=f"https://alyaoum.example/big{suffix}.jpg",
                                                 content=resized(content, factor=1.5)))
    other = make_article(le_matin, title="Un autre sujet", image=make_image(seed + 10))
    return Scene(original=original, same_file=same_file, resized_copy=resized_copy, other=other)


@pytest.fixture
def scene(media_root: Any) -> Scene:
    return build_scene()


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
