"""Child process for bench.py: start the chat TUI headless and report on it.

python bench/tui_probe.py first-screen   # prints "ready" once the first screen is up
python bench/tui_probe.py memory         # asks one question, prints peak RSS in MB
python bench/tui_probe.py following 3    # asks, waits for 3 generations another writer
                                         # publishes, asks again; prints peak RSS in MB
"""

from __future__ import annotations

import sys


def peak_rss_mb() -> float:
    """This process's peak RSS in MiB: the kernel's high-water mark of its own memory.

    Not ``ru_maxrss``: Linux carries the parent's high-water mark over fork and exec into
    the child's, so a probe started by a benchmark that had loaded three embedders read
    1,390-1,660 MB, and one started after the scale benchmark read its 100k passages read
    417 MiB, whatever the chat itself used."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(what: str, generations: int = 3) -> int:
    from assistant.config import load_settings
    from assistant.tui.app import make_app

    settings = load_settings()
    app = make_app(settings)

    async def first_screen(pilot) -> None:
        # Textual calls the auto-pilot once the app is ready: first screen composed and shown.
        print("ready", flush=True)
        pilot.app.exit()

    async def answer(pilot) -> None:
        screen = pilot.app.screen
        before = len(screen.conversation.exchanges)
        await pilot.press(*"What do service users value in peer support?")
        await pilot.press("enter")
        for _ in range(6000):
            await pilot.pause(0.01)
            if getattr(screen, "job", None) is None and len(screen.conversation.exchanges) > before:
                break

    async def one_answer(pilot) -> None:
        for _ in range(6000):  # the index loads in a worker: wait for it (60 s at most)
            if pilot.app.index_text:
                break
            await pilot.pause(0.01)
        await answer(pilot)
        if what == "following":
            # Another writer (the benchmark's watcher) publishes; the chat stays open meanwhile
            # (a chat that follows the index takes each generation in), then asks again.
            from index import GenerationWatch, Index

            watch = GenerationWatch(Index(settings.home, settings.collection))
            seen = 0
            for _ in range(12000):  # 120 s at most
                await pilot.pause(0.01)
                seen += watch.changed()
                if seen >= generations:
                    break
            await pilot.pause(1.5)  # a last look at the index (every second) has happened
            await answer(pilot)
        peak = peak_rss_mb()
        print(f"{peak:.0f}", flush=True)
        pilot.app.exit()

    app.run(
        headless=True,
        size=(120, 40),
        auto_pilot=first_screen if what == "first-screen" else one_answer,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
