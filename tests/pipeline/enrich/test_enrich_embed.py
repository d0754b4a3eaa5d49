"""Sentence embeddings: shape, unit length, cross-lingual closeness, lazy thread-safe loading (real model)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from kiosque.pipeline.enrich.embed import EMBEDDING_DIM, Embedder, embed, embedding_text

# Written for this test: one event in three languages, and an unrelated sentence in each language.
SAME_EVENT = {
    "fr": "La banque centrale abaisse son taux directeur à 2,25 % pour soutenir la croissance",
    "en": "The central bank cuts its key interest rate to 2.25% to support growth",
    "ar": "البنك المركزي يخفض سعر الفائدة الرئيسي إلى 2.25 في المائة لدعم النمو",
}
UNRELATED = {
    "fr": "De fortes chutes de neige ferment la route de montagne",
    "en": "Heavy snowfall closes the mountain road",
    "ar": "تساقطات ثلجية كثيفة تغلق الطريق الجبلية",
}


def test_embed_returns_unit_rows_of_fixed_width() -> None:
    texts = [SAME_EVENT["fr"], SAME_EVENT["ar"], "", "x"]
    vectors = embed(texts)
    assert vectors.shape == (4, EMBEDDING_DIM)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 1, 3]], 1.0, atol=1e-5)
    assert norms[2] in (0.0, pytest.approx(1.0, abs=1e-5))  # an empty text: zero row or a unit row
    assert embed([]).shape == (0, EMBEDDING_DIM)


@pytest.mark.parametrize(("a", "b"), [("fr", "en"), ("fr", "ar"), ("en", "ar")])
def test_same_event_across_languages_is_closer_than_unrelated(a: str, b: str) -> None:
    va, vb, ua, ub = embed([SAME_EVENT[a], SAME_EVENT[b], UNRELATED[a], UNRELATED[b]])
    assert float(va @ vb) > float(va @ ub) + 0.2
    assert float(va @ vb) > float(ua @ vb) + 0.2
    assert float(ua @ ub) > float(ua @ vb)  # the snow sentences are a pair too


def test_one_text_embeds_the_same_alone_or_in_a_batch() -> None:
    batch = embed([SAME_EVENT["fr"], UNRELATED["en"], SAME_EVENT["ar"]])
    alone = embed([UNRELATED["en"]])
    assert np.allclose(batch[1], alone[0], atol=1e-5)


def test_concurrent_first_calls_load_once_and_agree() -> None:
    embedder = Embedder()
    texts = list(SAME_EVENT.values()) + list(UNRELATED.values())
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: embedder.embed([t])[0], texts * 2))
    assert embedder._model is not None
    assert all(np.allclose(results[i], results[i + len(texts)], atol=1e-6) for i in range(len(texts)))


@pytest.mark.parametrize(
    ("title", "lead", "max_chars", "expected"),
    [
        ("Titre", "Chapeau.", 400, "Titre. Chapeau."),
        ("Titre", "  ", 400, "Titre"),
        ("Un titre", "assez long pour être coupé", 20, "Un titre. assez"),
    ],
)
def test_embedding_text_joins_title_and_lead_and_cuts_at_a_word(
    title: str, lead: str, max_chars: int, expected: str
) -> None:
    assert embedding_text(title, lead, max_chars=max_chars) == expected
