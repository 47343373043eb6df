"""Child process for bench.py: start the chat TUI headless and report on it.

python bench/tui_probe.py first-screen   # prints "ready" once the first screen is up
python bench/tui_probe.py memory         # asks one question, prints peak RSS in MB
"""

from __future__ import annotations

import resource
import sys


def main(what: str) -> int:
    from assistant.config import load_settings
    from assistant.tui.app import make_app

    app = make_app(load_settings())

    async def first_screen(pilot) -> None:
        # Textual calls the auto-pilot once the app is ready: first screen composed and shown.
        print("ready", flush=True)
        pilot.app.exit()

    async def one_answer(pilot) -> None:
        for _ in range(6000):  # the index loads in a worker: wait for it (60 s at most)
            if pilot.app.index_text:
                break
            await pilot.pause(0.01)
        await pilot.press(*"What do service users value in peer support?")
        await pilot.press("enter")
        screen = pilot.app.screen
        for _ in range(6000):
            await pilot.pause(0.01)
            if getattr(screen, "job", None) is None and screen.conversation.exchanges:
                break
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{peak:.0f}", flush=True)
        pilot.app.exit()

    app.run(
        headless=True,
        size=(120, 40),
        auto_pilot=first_screen if what == "first-screen" else one_answer,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
