"""Words dropped from documents and queries before stemming, per analyzer, in normalised form.

French and English are PostgreSQL 15's `french.stop` and `english.stop` (the Snowball lists) put through
`normalize_text`, so the SQLite back-end drops exactly what PostgreSQL's `french`/`english` configurations
drop, plus five frequent words those lists lack (les, cet, cette, leurs, dont). Words are removed in Python
before PostgreSQL sees the text, so extra words keep both back-ends in agreement, and a query such as "la
démission du ministre" does not require "la" and "du" on SQLite either. "ete" is left out on purpose:
"été" is a stop word as "been" but also "summer", and PostgreSQL's list, which holds the accented form,
never drops our unaccented "ete" anyway.

PostgreSQL's `arabic` configuration has no stop list; the short Arabic list below is hand-picked (the most
frequent particles and pronouns, with their و forms), written the way `normalize_text` writes them
(ى -> ي, ة -> ه, أ/إ -> ا). "على" (-> "علي") is not in it because it normalises to the name Ali.
"""

from __future__ import annotations

__all__ = ["STOPWORDS"]

_FRENCH = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux
    avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants ayez ayons c ce ces d dans de des
    du elle en es est et etaient etais etait etant etante etantes etants etee etees etes etiez etions eu eue eues
    eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent fus fusse fussent fusses
    fussiez fussions fut futes il j je l la le leur lui m ma mais me meme mes moi mon n ne nos notre nous on ont
    ou par pas pour qu que qui s sa se sera serai seraient serais serait seras serez seriez serions serons seront
    ses soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y
    les cet cette leurs dont
    """.split()  # noqa: SIM905 (a block of words reads and diffs better than a 150-item list)
)

_ENGLISH = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 (a block of words reads and diffs better than a 150-item list)
)

_ARABIC = frozenset(
    """
    في من الي عن مع ان او ثم هذا هذه ذلك تلك التي الذي الذين هو هي هم انا نحن ما لا لم لن قد كان كانت كل
    بين حتي اذا لكن بل عند منذ ايضا الا كما لقد وفي ومن وان ولا وما وقد وهو وهي وكان وهذا وهذه فقد فان
    """.split()  # noqa: SIM905 (a block of words reads and diffs better than a 150-item list)
)

# Keyed by analyzer (see text.analyzer_for); the "" analyzer (other languages) drops nothing.
STOPWORDS: dict[str, frozenset[str]] = {"fr": _FRENCH, "en": _ENGLISH, "ar": _ARABIC, "": frozenset()}
