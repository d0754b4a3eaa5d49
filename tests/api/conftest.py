from __future__ import annotations

import pytest

from tests.syndication.builders import Corpus, build_corpus


@pytest.fixture
def corpus(db, media_root) -> Corpus:  # type: ignore[no-untyped-def]
    return build_corpus()
