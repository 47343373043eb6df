from assistant.textsafe import plain


def test_escape_sequences_and_controls_are_removed():
    hostile = "a\x1b]0;pwned\x07b\x1b[31mred\x1b[0m\x9b2Jc\x00d\x07e\u202eevil\ttab\nline"
    assert plain(hostile) == "abredcdeevil    tab\nline"


def test_markup_like_text_is_untouched():
    text = "[/] [link=https://x] [@click=app.quit]"
    assert plain(text) == text
