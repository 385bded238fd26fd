"""worker/neardup.py: MinHash signatures, LSH band keys for a database index, similarity."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from worker.neardup import (
    BANDS,
    NUM_PERM,
    SHINGLE,
    SPACELESS_SHINGLE,
    THRESHOLD,
    band_keys,
    shingles,
    signature,
    similarity,
    tokens,
)

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("council harbour budget minister vote river school hospital police court storm flood road "
         "tram ferry election mayor union strike price energy market bank museum festival port "
         "village farmer water bridge station airport factory worker teacher doctor nurse judge").split()
STOCK = ["said on Monday", "according to officials", "in a statement", "the government said",
         "local residents", "earlier this year", "a spokesman said", "will be published"]


def _article(seed: int, paragraphs: int = 10) -> list[str]:
    """Same-topic prose: a small shared vocabulary and stock phrases, like two stories on one beat."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 14))]
            words.insert(rng.randint(0, len(words)), rng.choice(STOCK))
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_a_signature_is_bytes_of_a_fixed_size_and_the_same_in_another_process() -> None:
    text = "\n\n".join(_article(1))
    sig = signature(text)
    assert isinstance(sig, bytes) and len(sig) == len(signature("other words entirely here today"))
    code = ("import sys; from worker.neardup import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).hex())")
    other = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                           cwd=ROOT, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert other == sig.hex()


def test_signatures_are_byte_for_byte_datasketchs() -> None:
    """neardup computes datasketch's MinHash (affine32, seed 1, SHA-1 shingle hashes, LeanMinHash
    bytes) with numpy alone; datasketch itself, the reference, must agree on every text."""
    from datasketch import LeanMinHash, MinHash

    from worker import neardup

    texts = ["", "two words", "a text with a few words in it", "\n\n".join(_article(3)),
             "Ünïcödé wörds, ещё и по-русски, 東京 and numbers 1 2 3 4 5 6 7"]
    for text in texts:
        mh = MinHash(num_perm=NUM_PERM, seed=neardup.SEED, scheme="affine32")
        mh.update_batch(shingles(text))
        lean = LeanMinHash(mh)
        buf = bytearray(lean.bytesize(byteorder="<"))
        lean.serialize(buf, byteorder="<")
        assert signature(text) == bytes(buf), text[:40]


def test_shingles_are_lower_cased_word_five_grams() -> None:
    assert set(shingles("One, two; THREE four five six!")) == {
        b"one two three four five", b"two three four five six"}
    assert shingles("Too short") == [b"too short"]
    assert shingles("  ") == []


def test_similarity_estimates_jaccard() -> None:
    base = _article(2, 12)
    for keep in (12, 11, 9, 6, 3):
        a, b = "\n\n".join(base), "\n\n".join(base[:keep])
        assert similarity(signature(a), signature(b)) == pytest.approx(_jaccard(a, b), abs=0.12)
    text = "\n\n".join(base)
    assert similarity(signature(text), signature(text)) == 1.0


def test_wire_story_with_a_local_intro_is_a_near_duplicate_and_a_same_topic_story_is_not() -> None:
    wire = _article(3, 12)
    local = _article(4, 1) + wire
    trimmed = wire[:-2]
    unrelated = _article(5, 12)
    sig = signature("\n\n".join(wire))
    assert similarity(sig, signature("\n\n".join(local))) >= THRESHOLD
    assert similarity(sig, signature("\n\n".join(trimmed))) >= THRESHOLD
    assert similarity(sig, signature("\n\n".join(unrelated))) < 0.2


def test_band_keys_fit_a_signed_bigint_and_near_duplicates_share_one() -> None:
    wire = _article(6, 12)
    keys = band_keys(signature("\n\n".join(wire)))
    assert [band for band, _ in keys] == list(range(BANDS))
    assert all(isinstance(k, int) and 0 <= k < 2**63 for _, k in keys)
    assert band_keys(signature("\n\n".join(wire))) == keys  # deterministic
    near = set(band_keys(signature("\n\n".join(_article(7, 1) + wire[:-1]))))
    assert near & set(keys)
    unrelated = set(band_keys(signature("\n\n".join(_article(8, 12)))))
    assert not unrelated & set(keys)


def test_empty_texts_have_no_band_keys_and_match_nothing() -> None:
    empty = signature("")
    assert band_keys(empty) == []
    assert similarity(empty, empty) == 0.0
    assert similarity(empty, signature("some words that make a shingle or two")) == 0.0


def test_signatures_of_other_sizes_are_refused() -> None:
    from datasketch import LeanMinHash, MinHash

    small = LeanMinHash(MinHash(num_perm=NUM_PERM // 2))
    buf = bytearray(small.bytesize(byteorder="<"))
    small.serialize(buf, byteorder="<")
    with pytest.raises(ValueError):
        similarity(signature("a b c d e f"), bytes(buf))


def test_band_keys_never_change() -> None:
    """Stored archives hold these keys: a new way of computing them must give the same numbers."""
    sig = signature("The council voted on Tuesday to close the old bridge for repairs until spring.")
    assert band_keys(sig)[:3] == [(0, 450716900889455072), (1, 5821698000441036140), (2, 5805331101216053182)]


def test_helper_processes_load_only_what_they_need() -> None:
    """numpy, httpx and SQLAlchemy are 15-25 MB each in every process that loads them: the writing
    process needs neither numpy nor httpx, the examining processes neither SQLAlchemy nor httpx."""
    import subprocess
    import sys

    def loaded(modules: str) -> str:
        probe = f"import sys, {modules}; print(sorted({{'numpy', 'httpx', 'sqlalchemy'}} & set(sys.modules)))"
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()

    assert loaded("worker.writer, worker.store.repository") == "['sqlalchemy']"
    assert loaded("worker.examine, worker.examiners") == "[]"


def _legacy_shingles(text: str) -> set[bytes]:
    """neardup's shingles before segment.py, as stored archives hold them: re's \\w+, casefolded."""
    import re

    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))} if words else set()


SPACED = [  # no spaceless script: shingles must stay those of every signature already stored
    "The council voted on Tuesday to close the old bridge, which costs £2m a year (km² figures: ½ of 2023).",
    "Die Bundesregierung hat am Dienstag das Haushaltsgesetz für 2025 beschlossen; Straßen & Brücken zuerst.",
    "Le gouvernement a présenté mercredi un projet de loi sur l'énergie, « une priorité », selon l'Élysée.",
    "Мэрия Москвы в понедельник объявила о закрытии трёх станций метро; за́мок и замо́к — разные слова.",
    "Η κυβέρνηση ανακοίνωσε την Τρίτη νέα μέτρα στήριξης για τα νοικοκυριά και τις επιχειρήσεις.",
    "قالت وزارة الصحة يوم الثلاثاء إن عدد الإصابات ارتفع أيضاً إلى مئة وعشرين حالة، وإن محمّد نُقل إلى المستشفى.",
    "وزارت نیرو اعلام کرد که قیمت برق فعلاً تغییر نمی‌کند و می‌خواهد مصرف را کاهش دهد.",
    "הממשלה הודיעה ביום שלישי על תוכנית חדשה לדיור ציבורי בירושלים ובתל אביב.",
    "서울시는 25일 시내버스 요금을 다음 달부터 300원 인상한다고 밝혔다.",
    "İstanbul Büyükşehir Belediyesi, Kadıköy'de yeni bir metro hattının açılacağını duyurdu.",
    "Chính phủ Việt Nam công bố gói hỗ trợ kinh tế mới trị giá 5 tỷ đô la vào thứ Ba.",
    "Ⓐ x‿y snake_case ＡＢＣ１２３ full width, superscript x² and ① circled.",
]


def test_texts_without_a_spaceless_script_keep_their_shingles() -> None:
    for text in SPACED:
        assert set(shingles(text)) == _legacy_shingles(text), text[:30]
    assert set(shingles("\n\n".join(_article(9)))) == _legacy_shingles("\n\n".join(_article(9)))


def test_russian_and_arabic_band_keys_never_change() -> None:
    ru = "Мэрия Москвы в понедельник объявила о закрытии трёх станций метро на ремонт до конца весны."
    ar = "قالت وزارة الصحة يوم الثلاثاء إن عدد الإصابات ارتفع أيضاً إلى مئة وعشرين حالة، وإن محمّد علي نُقل إلى المستشفى."
    assert band_keys(signature(ru))[:3] == [(0, 3089018558851583143), (1, 4124849647527183258),
                                            (2, 7617630759067513651)]
    assert band_keys(signature(ar))[:3] == [(0, 7045195694166480754), (1, 4475581842261056145),
                                            (2, 3854355965678834940)]


def test_marks_of_indic_scripts_stay_inside_their_words() -> None:
    """Wanted change: re's \\w cut नमस्ते in three; such texts are shingled by segment.py's words."""
    assert tokens("नमस्ते दुनिया")[0] == ["नमस्ते", "दुनिया"]
    assert tokens("আজ শনিবার সকাল সাড়ে")[0] == ["আজ", "শনিবার", "সকাল", "সাড়ে"]


def test_spaceless_texts_are_shingled_by_their_segments() -> None:
    ja = "鹿児島県で25日午前、震度5弱の地震があった。"
    words, size = tokens(ja)
    assert words[:4] == ["鹿児島", "県", "で", "25"] and size == SPACELESS_SHINGLE
    assert b"\xe9\xb9\xbf\xe5\x85\x90\xe5\xb3\xb6 \xe7\x9c\x8c \xe3\x81\xa7 25" in shingles(ja)  # 鹿児島 県 で 25
    english = "The mayor of Tokyo (東京) said on Tuesday that the games would go ahead."
    assert tokens(english)[1] == SHINGLE  # a quoted word does not change an English text's shingles
    assert set(shingles(english)) == _legacy_shingles(english)


def test_republished_stories_are_near_duplicates_in_every_language() -> None:
    """bench/neardup_langs.py's set, small: a story republished with one phrase reworded per paragraph
    is found; unrelated stories on the same beat, or sharing a site's boilerplate, are not."""
    from bench.neardup_langs import LANGS, documents

    docs = documents(random.Random(3), 6)
    sigs = [signature(d.text) for d in docs]
    for lang in LANGS:
        ids = [i for i, d in enumerate(docs) if d.lang == lang]
        pos = [similarity(sigs[i], sigs[j]) for i in ids for j in ids if i < j and docs[i].story == docs[j].story]
        neg = [similarity(sigs[i], sigs[j]) for i in ids for j in ids if i < j and docs[i].story != docs[j].story]
        assert len(pos) == 6 and max(neg) < THRESHOLD, lang
        assert min(pos) >= THRESHOLD, (lang, pos)  # at 0.7: a Korean, an Arabic and an English copy missed


def test_precision_and_recall_are_at_least_095_in_every_language_of_every_draw() -> None:
    """Issue #15: per language, precision and recall >= 0.95 over draws of bench/neardup_langs.py's set
    (band lookup, THRESHOLD, another text), not on one draw only. At THRESHOLD 0.7 Korean recall was
    0.68-0.88, Russian and English 0.88-0.98."""
    from bench.neardup_langs import documents, score

    for seed in (11, 12, 13):
        for lang, s in score(documents(random.Random(seed), 15)).items():
            tp = len(s.found & s.truth)
            assert tp >= 0.95 * len(s.found) and tp >= 0.95 * len(s.truth), (seed, lang, len(s.found), len(s.truth), tp)


def test_spaceless_republications_were_missed_before_segments() -> None:
    from bench.neardup_langs import documents

    docs = documents(random.Random(4), 3)
    wire = next(d for d in docs if d.lang == "ja" and d.kind == "wire")
    copy = next(d for d in docs if d.story == wire.story and d.kind == "copy")
    legacy_a, legacy_b = _legacy_shingles(wire.text), _legacy_shingles(copy.text)
    assert len(legacy_a & legacy_b) / len(legacy_a | legacy_b) < 0.5  # a clause between commas was one word
    assert similarity(signature(wire.text), signature(copy.text)) >= THRESHOLD
