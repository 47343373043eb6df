from assistant.answering.citations import StreamFilter, check_citations


def test_valid_citations_are_kept_in_order_of_first_use():
    checked = check_citations("Hope matters [2]. Power sharing too [1][2].", {1, 2, 3})
    assert checked.text == "Hope matters [2]. Power sharing too [1][2]."
    assert checked.cited == [2, 1]
    assert checked.invalid == []


def test_made_up_numbers_are_removed_and_reported():
    checked = check_citations("A claim [99]. Another [1, 7]. A range [2-4].", {1, 2, 3})
    assert "[99]" not in checked.text and "[7]" not in checked.text
    assert checked.text == "A claim. Another [1]. A range [2][3]."
    assert checked.cited == [1, 2, 3]
    assert checked.invalid == [99, 7, 4]


def test_brackets_that_are_not_citations_are_left_alone():
    text = "See [the protocol](https://x.org) and [note] and [a, b]."
    checked = check_citations(text, {1})
    assert checked.text == text
    assert checked.cited == [] and checked.invalid == []


def test_absurd_ranges_do_not_expand():
    checked = check_citations("x [1-100000]", {1})
    assert checked.cited == [1] and checked.invalid == [100000]


def test_stream_filter_never_shows_an_invalid_citation():
    f = StreamFilter({1, 2})
    pieces = ["Hope [", "1] and pow", "er [9", "9]. Also [2, ", "7] x [note] [", "a"]
    shown = "".join(f.feed(p) for p in pieces) + f.flush()
    assert "[99]" not in shown and "7]" not in shown
    assert shown == "Hope [1] and power. Also [2] x [note] [a"


def test_stream_filter_releases_long_brackets_and_newlines():
    f = StreamFilter({1})
    shown = f.feed("[" + "x" * 40 + "] and [\nnext") + f.flush()
    assert shown == "[" + "x" * 40 + "] and [\nnext"


def test_stream_filter_matches_the_final_text():
    text = "Hope [1] and power [2]. One study also claims [99]. Others [3, 7] agree [note]."
    valid = {1, 2, 3}
    for size in (1, 2, 3, 5, 8):
        f = StreamFilter(valid)
        shown = "".join(f.feed(text[i : i + size]) for i in range(0, len(text), size))
        assert shown + f.flush() == check_citations(text, valid).text
