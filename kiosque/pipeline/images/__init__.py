"""Image stage: verify downloaded image bytes and re-encode them for display (see `process`)."""

from kiosque.pipeline.images.process import ACCEPTED_FORMATS, PHASH_THRESHOLD, phash_distance, process_image

__all__ = ["ACCEPTED_FORMATS", "PHASH_THRESHOLD", "phash_distance", "process_image"]
