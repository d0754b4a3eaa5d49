"""Reading a command's PATH_OR_URL argument: a local file, or a URL fetched politely through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosque.crawler.config import crawl_options
from kiosque.pipeline.errors import PipelineError
from kiosque.pipeline.fetch import Fetcher


class InputError(Exception):
    """The argument could not be read; the message says why."""


@dataclass(frozen=True)
class Input:
    content: bytes
    url: str  # the URL it came from (empty for a local file unless given)
    encoding: str | None = None
    content_type: str = ""


def read_input(path_or_url: str, *, url: str = "") -> Input:
    if path_or_url.startswith(("http://", "https://")):
        try:
            with Fetcher(crawl_options().fetch) as fetcher:
                result = fetcher.fetch(path_or_url)
        except PipelineError as error:
            raise InputError(f"Could not fetch {path_or_url}: {error.reason}") from error
        return Input(result.content, url or result.final_url, result.encoding, result.content_type)
    path = Path(path_or_url)
    if not path.is_file():
        raise InputError(f"No such file: {path_or_url}")
    try:
        return Input(path.read_bytes(), url)
    except OSError as error:
        raise InputError(f"Could not read {path_or_url}: {error.strerror}") from error
