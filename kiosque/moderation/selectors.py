"""Reads for the report form and the moderation queue."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from kiosque.articles.models import Article, Image, ImageState
from kiosque.articles.selectors import ImageMatch, images_like
from kiosque.moderation.models import ImageReport, ModerationAction, ReportedImage

ARTICLES_SHOWN = 5


def image_for_report(image_id: int) -> Image | None:
    return Image.objects.filter(pk=image_id).first()


def moderation_queue() -> QuerySet[ReportedImage]:
    """Images readers reported or that are not plainly visible, with their counts, their latest decision,
    their active reports' reasons and the first articles that use them prefetched (a fixed number of queries
    per page of the queue). `pending` marks what awaits a moderator: reported and still shown, or blocked
    with no moderator's decision since (automatically, or inherited by a new copy at crawl time)."""
    reports = ImageReport.objects.filter(image=OuterRef("pk"))
    latest = ModerationAction.objects.filter(image=OuterRef("pk")).order_by("-created_at", "-id")
    active = Q(reports__cleared_at__isnull=True)
    qs = (
        ReportedImage.objects.annotate(reported=Exists(reports))
        .filter(Q(reported=True) | ~Q(state=ImageState.OK))
        .annotate(
            counted_reports=Count("reports", filter=active & Q(reports__address_slot__isnull=False), distinct=True),
            active_reports=Count("reports", filter=active, distinct=True),
            last_report=Max("reports__created_at"),
            article_count=Count("articles", distinct=True),
            last_kind=Subquery(latest.values("kind")[:1]),
            last_actor=Subquery(latest.values("actor_id")[:1]),
            last_decided=Subquery(latest.values("created_at")[:1]),
        )
    )
    return qs.prefetch_related(
        Prefetch("reports", queryset=ImageReport.objects.filter(cleared_at__isnull=True).only("image_id", "reason"),
                 to_attr="active_report_rows"),
        Prefetch("articles", queryset=Article.objects.select_related("source").only(
            "id", "title", "image_id", "published_at", "source__name").order_by("-published_at")[:ARTICLES_SHOWN],
            to_attr="shown_articles"),
    )


def pending_filter() -> Q:
    """The queue's rows awaiting a moderator (see `moderation_queue`)."""
    since_decision = Q(last_decided__isnull=True) | Q(last_report__gt=F("last_decided"))
    return (Q(state=ImageState.BLOCKED) & Q(last_actor__isnull=True)) | (
        Q(state=ImageState.OK) & Q(active_reports__gt=0) & since_decision
    )


def reason_counts(image: Image) -> Counter[str]:
    """Reasons of the image's active reports (from the queue's prefetch when there)."""
    rows = getattr(image, "active_report_rows", None)
    if rows is None:
        rows = list(ImageReport.objects.filter(image=image, cleared_at__isnull=True).only("reason"))
    return Counter(r.reason for r in rows)


@dataclass(frozen=True)
class Copy:
    image: Image
    match: ImageMatch


def image_copies(image: Image) -> list[Copy]:
    """The other stored images of the same picture, nearest first."""
    matches = images_like(sha256=image.sha256, phash=image.phash, exclude_id=image.pk)
    found = Image.objects.in_bulk([m.image_id for m in matches])
    return [Copy(found[m.image_id], m) for m in matches if m.image_id in found]


def image_reports(image: Image) -> QuerySet[ImageReport]:
    return ImageReport.objects.filter(image=image).order_by("-created_at", "-id")


def image_history(image: Image) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(image=image).select_related("actor").order_by("-created_at", "-id")


def articles_using(image: Image, *, limit: int = 50) -> list[Article]:
    return list(Article.objects.filter(image=image).select_related("source").only(
        "id", "title", "published_at", "source__name").order_by("-published_at")[:limit])
