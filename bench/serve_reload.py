"""Time from saving one document to the preview's reload signal (median of several edits).

    python bench/serve_reload.py [content] [document relative to content] [runs]

Copies the content to a temporary folder, starts `python build.py serve` on a free port,
listens to its reload events, appends a comment to the document `runs` times and prints each
delay and the median. The delay includes the watcher's debounce (quiet period 0.2 s, polling
every 0.05 s), parsing the one changed document, rendering what depends on it, and the signal.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(content: Path, document: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content, copy)
        proc = subprocess.Popen([sys.executable, "build.py", "serve", "--content", str(copy), "--port", "0"],
                                cwd=REPO, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        try:
            port = next(int(m.group(1)) for line in proc.stdout
                        if (m := re.search(r"http://127\.0\.0\.1:(\d+)/", line)))
            # Keep reading the server's output: a full pipe would stall its next print.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/__reload")
            events = conn.getresponse()
            next_tag(events)
            delays = []
            for i in range(runs):
                path = copy / document
                text = path.read_text(encoding="utf-8")
                started = time.perf_counter()
                path.write_text(text + f"# edit {i}\n", encoding="utf-8")
                next_tag(events)
                delays.append(time.perf_counter() - started)
                time.sleep(1.0)  # let the previous rebuild finish its downloads and disk copy
            print(" ".join(f"{d:.2f}" for d in delays))
            median = statistics.median(delays)
            print(f"median save → reload signal: {median:.2f} s over {runs} edits of {document}")
        finally:
            proc.terminate()
            proc.wait(120)  # removing the temporary preview folder of a big site takes a while


def next_tag(events) -> str:
    while True:
        line = events.readline().decode()
        if line.startswith("data: "):
            return line[6:].strip()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0]) if args else REPO / "content",
         args[1] if len(args) > 1 else "wanli-jiedao/2024-yusuan.yaml",
         int(args[2]) if len(args) > 2 else 7)
