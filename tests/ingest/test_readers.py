"""Hostile folders: every bad file is skipped with a reason, and the scan always finishes."""

import os
import socket
from pathlib import Path

import pytest

from ingest.errors import SkipFile
from ingest.html import html_to_text
from ingest.readers import MAX_LINE_CHARS, read_text, scan


def reasons(root: Path) -> dict[str, str | None]:
    return {
        f.path.name if f.skip is None else f.display.split("/")[-1]: f.skip for f in scan([root])
    }


def test_symlinks_loops_and_escapes(tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret text " * 20)
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "paper.txt").write_text("real paper " * 20)
    (root / "loop").symlink_to(root)  # a loop back to the root
    (root / "sub" / "up").symlink_to(root / "sub")
    (root / "escape.txt").symlink_to(outside)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (root / "inside.txt").symlink_to(root / "sub" / "paper.txt")
    found = list(scan([root]))
    skips = {f.display: f.skip for f in found if f.skip}
    assert skips == {
        "corpus/dangling.txt": "broken or looping symlink",
        "corpus/escape.txt": "symlink pointing outside the folder",
    }
    readable = [f.path for f in found if not f.skip]
    assert readable.count((root / "sub" / "paper.txt").resolve()) >= 1
    assert outside.resolve() not in readable


def test_special_files_are_not_opened(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.txt"))
    try:
        skips = {f.path.name: f.skip for f in scan([tmp_path])}
    finally:
        sock.close()
    assert skips["pipe.txt"] == "not a regular file (a FIFO)"
    assert skips["sock.txt"] == "not a regular file (a socket)"


def test_unsupported_and_hidden(tmp_path: Path):
    (tmp_path / "data.xlsx").write_text("a,b")  # .csv is read now (Scopus exports)
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("x")
    assert {f.path.name: f.skip for f in scan([tmp_path])} == {
        "data.xlsx": "unsupported file type (.xlsx)"
    }


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\t\n", "empty file"),
        ("binary.txt", b"\x7fELF\x00\x00\x01" + bytes(range(256)) * 4, "binary file"),
        ("junk.txt", bytes([0x81, 0x8D, 0x8F, 0x90]) * 100, "undecodable text"),
        ("fake.pdf", b"this is not a pdf at all", "not a PDF"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%garbage", "PDF"),
        ("big.txt", b"a" * 2_000_001, "too large"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        read_text(path, max_bytes=2_000_000)


def test_encodings(tmp_path: Path):
    text = "Les usagères ont valorisé le soutien — “hope”."
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "win.txt").write_bytes(text.encode("cp1252"))
    for name in ("bom.txt", "u16.txt", "win.txt"):
        assert read_text(tmp_path / name, 10_000) == text


def test_enormous_lines_are_capped(tmp_path: Path):
    path = tmp_path / "line.txt"
    path.write_text("word " * 100_000 + "\nshort line\n")
    text = read_text(path, 10_000_000)
    assert max(len(line) for line in text.split("\n")) == MAX_LINE_CHARS
    assert "short line" in text


def test_real_pdf_text_is_extracted(tmp_path: Path):
    from tests.ingest.pdfmaker import make_pdf

    path = tmp_path / "paper.pdf"
    path.write_bytes(make_pdf(["Peer support in practice", "Service users valued hope."]))
    text = read_text(path, 10_000_000)
    assert "Peer support in practice" in text and "valued hope" in text


def test_html_drops_scripts_navigation_and_keeps_blocks():
    page = """<html><head><title>t</title><script>alert('x')</script></head><body>
    <nav>Home | Sign in</nav><h1>Peer support &amp; recovery</h1>
    <p>First <b>paragraph</b>.</p><p>Second.</p><footer>© Publisher</footer></body></html>"""
    assert html_to_text(page) == "Peer support & recovery\n\nFirst paragraph.\n\nSecond."


def test_pdf_parsing_is_time_limited(tmp_path: Path, monkeypatch):
    from ingest import readers
    from tests.ingest.pdfmaker import make_pdf

    monkeypatch.setattr(readers, "PDF_TIMEOUT_S", 0.05)  # less than the parser's start-up
    path = tmp_path / "slow.pdf"
    path.write_bytes(make_pdf(["Peer support"]))
    with pytest.raises(SkipFile, match="PDF took longer than 0.05 s"):
        read_text(path, 10_000_000)


@pytest.mark.slow  # a child process runs into its memory cap (~6-16 s)
def test_pdf_decompression_bomb_is_memory_limited(tmp_path: Path, monkeypatch):
    import zlib

    from ingest import readers
    from tests.ingest.pdfmaker import make_pdf

    monkeypatch.setattr(readers, "PDF_MEMORY_BYTES", 300 * 2**20)
    # 420 MB of text-showing operators in a ~0.4 MB stream
    bomb = zlib.compress(b"BT /F1 12 Tf " + b"(x) Tj " * (60 * 2**20) + b"ET", 9)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(make_pdf([], stream=bomb, flate=True))
    assert path.stat().st_size < 5_000_000
    with pytest.raises(SkipFile, match="ran out of time or memory|broken PDF"):
        read_text(path, 10_000_000)


@pytest.mark.parametrize(
    "path",
    [
        "/home/u/index",  # the excluded folder itself
        "/home/u/index/corpus/manifest.sqlite",
        "/home/u/index2/paper.txt",  # a sibling whose name only starts the same
        "/home/u/index.txt",
        "/home/u/ind",
        "/home/u",
        "/home/u/chats/a\udcff.md",  # an undecodable name (a lone surrogate)
        "/home/U/index/paper.txt",  # another case is another folder on POSIX
        "/srv/data/x.txt",
        "/",
    ],
)
def test_excluded_agrees_with_pathlib_on_tricky_paths(path: str):
    from ingest.readers import _excluded, _exclusions

    exclude = [Path("/home/u/index"), Path("/home/u/chats/"), Path("/srv//data/./")]
    # resolve() is the identity on these (no symlinks under /home/u or /srv in the test)
    resolved = [Path(os.path.abspath(ex)) for ex in exclude]
    expected = any(Path(path) == ex or Path(path).is_relative_to(ex) for ex in resolved)
    assert _excluded(path, _exclusions(exclude)) is expected
    assert _excluded(Path(path), _exclusions(exclude)) is expected


def test_excluding_the_filesystem_root_excludes_everything():
    from ingest.readers import _excluded, _exclusions

    assert _excluded("/any/file.txt", _exclusions([Path("/")]))
    assert _excluded("/", _exclusions([Path("/")]))


def test_display_names_are_relative_to_the_folder_holding_the_root(tmp_path: Path):
    from ingest.readers import _display

    root = tmp_path / "corpus"
    assert _display(str(root / "a" / "b.txt"), root) == "corpus/a/b.txt"
    assert _display(root / "a" / "b.txt", root) == "corpus/a/b.txt"
    assert _display("/elsewhere/c.txt", root) == "/elsewhere/c.txt"
    assert _display(str(tmp_path) + "x/d.txt", root) == str(tmp_path) + "x/d.txt"
    assert _display("/x.txt", Path("/")) == "x.txt"  # the filesystem root given
