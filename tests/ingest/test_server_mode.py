"""ASSISTANT_CHROMA_URL: ingest and answers against a real `chroma run` server on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import REPO, WITHOUT_CHROMADB
from tests.fakes.ollama_server import unused_loopback_url

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    url = unused_loopback_url()
    port = url.rsplit(":", 1)[1]
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", port],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # up to 30 s for the server to come up
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"`chroma run` exited with {proc.returncode}")
                time.sleep(0.1)
        else:
            pytest.fail("`chroma run` did not answer its heartbeat")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_answer_through_a_chroma_server(
    chroma_server, monkeypatch, capsys, isolated_env
):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    assert main(["ingest", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["records"] >= 14 and first["embedded"] > 0
    assert not (isolated_env / "chroma").exists()  # nothing went to the embedded store
    assert main(["ingest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["embedded"] == 0
    assert main(["ask", "peer support online and offline", "--no-llm", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert any(s["authors"][:1] == ["Monica Strand"] for s in answer["sources"])


def test_a_second_machine_rebuilds_the_lexical_side_from_the_server(
    chroma_server, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "shared-corpus")
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "machine-a"))
    assert main(["ingest"]) == 0
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "machine-b"))  # no local bookkeeping
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 14


def test_unreachable_server_is_one_sentence(monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", unused_loopback_url())
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert "Chroma server" in err and "not reachable" in err and "Traceback" not in err


def test_two_clients_never_remove_each_others_records(chroma_server, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "two-clients")
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    folder_a.mkdir()
    folder_b.mkdir()
    shutil.copy(seeds / "002_8e891bfb3820edb3.txt", folder_a)
    shutil.copy(seeds / "003_197bd31afb418ccc.txt", folder_b)

    def as_client(name: str, *argv: str) -> dict:
        monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / f"home-{name}"))
        capsys.readouterr()
        assert main([*argv, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    assert as_client("a", "ingest", str(folder_a))["records"] == 1
    report_b = as_client("b", "ingest", str(folder_b))
    assert report_b["orphans_removed"] == 0  # A's chunks are not "left over" for B
    titles = {r["title"] for r in as_client("b", "sources")}
    assert len(titles) == 2  # both clients' papers, seen from either
    as_client("a", "ingest", str(folder_a))  # A's next run leaves B's paper alone too
    assert {r["title"] for r in as_client("a", "sources")} == titles


def test_a_server_restarted_empty_is_refilled_by_the_next_ingest(
    chroma_server, monkeypatch, capsys, isolated_env
):
    import chromadb

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "restarted")
    assert main(["ingest", "--json"]) == 0
    chunks = json.loads(capsys.readouterr().out)["chunks"]
    host, port = chroma_server.rsplit("/", 1)[-1].split(":")
    chromadb.HttpClient(host=host, port=int(port)).delete_collection("restarted")  # data lost
    assert main(["doctor", "--json"]) == 3  # the mismatch is reported, not "ok"
    doctor = json.loads(capsys.readouterr().out)
    assert doctor["index"]["ok"] is False and "restore" in doctor["index"]["error"]
    assert main(["ingest", "--json"]) == 0  # no --rebuild needed
    report = json.loads(capsys.readouterr().out)
    assert report["embedded"] == chunks and report["chunks"] == chunks
    assert main(["ask", "peer support online and offline", "--no-llm", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"]


def test_a_server_dying_mid_ingest_is_one_sentence_and_the_rerun_finishes(
    monkeypatch, capsys, tmp_path
):
    from assistant.config import load_settings
    from assistant.errors import StoreError
    from assistant.runtime import open_index, run_ingest

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    url = unused_loopback_url()
    data = tmp_path / "server-data"

    def serve() -> subprocess.Popen:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", url.rsplit(":")[-1]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    return proc
            except OSError:
                time.sleep(0.1)
        proc.terminate()
        pytest.fail("`chroma run` did not answer its heartbeat")

    proc = serve()
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", url)
    settings = load_settings()
    index = open_index(settings)

    def kill_when_embedding(stage: str, done: int, total: int) -> None:
        if stage == "embedding" and proc.poll() is None:
            proc.kill()  # the server dies while the ingest writes
            proc.wait()

    try:
        with pytest.raises(StoreError, match="stopped answering during the ingest"):
            run_ingest(settings, index, [Path(__file__).resolve().parents[2] / "seeds"],
                       progress=kill_when_embedding)  # fmt: skip
        index.close()
        proc = serve()  # back, with what it had stored
        assert main(["ingest", "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["records"] >= 14
        assert main(["ask", "peer support online and offline", "--no-llm", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["sources"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_server_client_searches_the_server_and_rescores_from_its_vectors(
    chroma_server, monkeypatch, tmp_path
):
    """On a server, dense search and the feedback pass's re-scoring use the server's
    vectors (the snapshot keeps none), and give the figures its HNSW index gives."""
    from assistant.config import load_settings
    from assistant.runtime import make_embedder, open_index
    from index.filters import Filters

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "rescoring")
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "client"))
    assert main(["ingest"]) == 0
    settings = load_settings()
    embedder = make_embedder(settings)
    reader = open_index(settings).reader((embedder.name, embedder.dim))
    assert reader is not None and reader._snap.vectors is None
    vec = embedder.embed(["peer workers and hope"])[0]
    found = reader.dense(vec, 6, Filters())
    got = reader.similarity(vec, [*found, "no-such-chunk"])
    assert set(got) == set(found)
    for cid, score in got.items():
        assert abs(score - found[cid]) < 1e-4


def test_a_server_client_answers_without_importing_chromadb(chroma_server, monkeypatch, tmp_path):
    """A question on a server store talks to it over HTTP (index.remote): importing
    chromadb cost every client ~1.1 s per start. Both the first start (which builds the
    lexical side from the server) and the next, a filtered question included."""
    import os

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "no-chromadb")
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "writer"))
    assert main(["ingest"]) == 0

    def ask(*argv: str) -> dict:
        env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "reader"), "PYTHONPATH": str(REPO)}
        got = subprocess.run(
            [sys.executable, "-c", WITHOUT_CHROMADB, "ask", *argv, "--no-llm", "--json"],
            cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert got.returncode == 0, got.stderr
        return json.loads(got.stdout)

    first = ask("peer support online and offline")
    assert any(s["authors"][:1] == ["Monica Strand"] for s in first["sources"])
    assert ask("peer support online and offline")["sources"] == first["sources"]
    years = {s["year"] for s in ask("peer support", "--year", "2018-2019")["sources"]}
    assert years and years <= {2018, 2019}


def test_a_server_url_that_is_not_chroma_is_one_sentence(ollama, monkeypatch, capsys, tmp_path):
    """An address that answers HTTP but is not a Chroma server (here the fake Ollama)."""
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", ollama.url)
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "client"))
    assert main(["ask", "peer support", "--no-llm"]) == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert f"The address in ASSISTANT_CHROMA_URL ({ollama.url}) does not answer as a" in err
    assert "Chroma 1.0 or later is needed" in err


def test_a_question_never_fills_a_shared_server_with_the_seeds(
    chroma_server, monkeypatch, capsys, tmp_path
):
    """An empty embedded index is seeded for a first try; a mistyped collection name on a
    lab's server got the bundled demo papers ingested into a new collection there."""
    from index.remote import RemoteCollection

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", "corpsu")
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "client"))
    assert main(["ask", "peer support", "--no-llm"]) == 3
    err = capsys.readouterr().err.strip()
    assert err == (
        f"assistant: The collection 'corpsu' on the Chroma server at {chroma_server} is empty "
        "or missing; check ASSISTANT_COLLECTION, or fill it with `assistant ingest PATH`."
    )
    assert RemoteCollection.open(chroma_server, "corpsu") is None
