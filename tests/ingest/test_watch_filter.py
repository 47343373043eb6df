"""Which changed paths start a watch pass, and over which watched folders (no index)."""

from __future__ import annotations

from pathlib import Path

from watchfiles import Change

from ingest.watch import ChangeFilter, is_zotero_dir, roots_touched


def test_changes_are_mapped_to_the_watched_roots_they_lie_in(tmp_path: Path):
    a, b, c = tmp_path / "a", tmp_path / "ab", tmp_path / "c.ris"
    got = roots_touched([f"{a}/x/y.pdf", str(c)], [a, b, c])
    assert got == [a, c]  # "ab" only shares a prefix of characters with "a/..."


def test_litter_and_the_assistants_own_folders_are_ignored(tmp_path: Path):
    home = tmp_path / "papers" / ".assistant"
    keep = ChangeFilter([tmp_path / "papers"], exclude=[home / "index"])
    assert keep(Change.added, str(tmp_path / "papers" / "new.pdf"))
    assert not keep(Change.modified, str(home / "index" / "corpus" / "manifest.sqlite"))
    assert not keep(Change.added, str(tmp_path / "papers" / ".git" / "index"))
    assert not keep(Change.added, str(tmp_path / "papers" / ".draft.md.swp"))


def test_a_zotero_directory_counts_only_its_database_and_storage(tmp_path: Path):
    zotero = tmp_path / "Zotero"
    (zotero / "storage").mkdir(parents=True)
    (zotero / "zotero.sqlite").write_bytes(b"")
    assert is_zotero_dir(zotero) and not is_zotero_dir(tmp_path)
    keep = ChangeFilter([zotero])
    assert keep(Change.modified, str(zotero / "zotero.sqlite"))
    assert keep(Change.modified, str(zotero / "zotero.sqlite-journal"))
    assert keep(Change.added, str(zotero / "storage" / "ABCD1234" / "paper.pdf"))
    assert not keep(Change.modified, str(zotero / "styles" / "apa.csl"))
    assert not keep(Change.modified, str(zotero / "zotero.sqlite.bak"))
    assert not keep(Change.modified, str(zotero / "translators" / "RIS.js"))
