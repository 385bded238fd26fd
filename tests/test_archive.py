from worker.archive import Latest, content_hash, decide, normalise_text


def test_normalise_collapses_whitespace_and_composes_unicode() -> None:
    assert normalise_text("  A\u0301  b\n\n c\t") == "\u00c1 b c"


def test_hash_ignores_whitespace_but_not_words() -> None:
    a = content_hash("Title", "One.\n\nTwo.")
    assert a == content_hash(" Title ", "One. Two.")
    assert a != content_hash("Title!", "One.\n\nTwo.")
    assert a != content_hash("Title", "One.\n\nTwo!")
    assert len(a) == 64 and a == a.lower()


def test_decisions() -> None:
    h1, h2 = "a" * 64, "b" * 64
    assert decide(None, h1, None).kind == "new"
    assert decide(None, h1, 7).duplicate_of == 7
    same = decide(Latest(3, h1), h1, 9)
    assert (same.kind, same.number, same.duplicate_of) == ("same", 3, None)
    nxt = decide(Latest(3, h1), h2, None)
    assert (nxt.kind, nxt.number) == ("version", 4)
