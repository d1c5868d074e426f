"""Where a build's peak memory is: one `glossator build` in this process, its resident set
sampled every few milliseconds with where the build was (the innermost frames of
Glossator's own code, and the library under them).

    python bench/memory.py EDITION [--out DIR] [--scale N]

--scale N first makes the bench's synthetic edition N times as long (run.synthetic) and
builds that. Prints the peak resident set, the processor time per page, the steps by the
most memory they were seen with and by their share of the time (a sampling profile: it
slows the build far less than cProfile, so 1x and 40x compare), and with --timeline one
line per step entered. A sampling
thread sees the build only between Python bytecodes: a peak inside one long call into C
(pikepdf saving) is shown at that call, as the first sample after the peak.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2 ** 20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def where(frame) -> tuple[str, str]:
    """(the step: Glossator's three frames below the build's render or write,
    the innermost Glossator frame and the innermost frame of another package under it)."""
    ours, below = [], None
    while frame is not None:
        name = frame.f_code.co_filename
        if "/glossator/" in name:
            ours.append(f"{Path(name).stem}.{frame.f_code.co_name}")
        elif not ours and below is None and "/site-packages/" in name:
            package = name.split("/site-packages/")[1].split("/")[0]
            below = f"{package}:{frame.f_code.co_name}"
        frame = frame.f_back
    outer = ours[::-1][2:5]  # below pipeline.build, pipeline._made
    return " > ".join(outer) or "?", (ours[0] if ours else "?") + (f" > {below}" if below else "")


class Sampler(threading.Thread):
    def __init__(self, every: float = 0.005):
        super().__init__(daemon=True)
        self.every, self.main, self.stop = every, threading.main_thread().ident, False
        self.most: dict[str, float] = {}  # step -> the most resident memory seen in it
        self.timeline: list[tuple[float, str, float]] = []  # (seconds, step entered, resident MB then)
        self.peak_at = ("", 0.0)  # the first step seen once the final peak was reached
        self.samples: dict[str, int] = {}  # step -> samples taken in it: where the time goes

    def run(self):
        start, last = time.perf_counter(), None
        while not self.stop:
            frame = sys._current_frames().get(self.main)
            (step, inner), rss, peak = where(frame), rss_mb(), peak_mb()
            self.most[inner] = max(self.most.get(inner, 0), rss)
            self.samples[step] = self.samples.get(step, 0) + 1
            if step != last and step != "?":
                self.timeline.append((time.perf_counter() - start, step, rss))
                last = step
            if peak > self.peak_at[1]:
                self.peak_at = (inner, peak)
            time.sleep(self.every)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", type=Path)
    parser.add_argument("--out", type=Path, help="where the outputs go (default: a temporary folder)")
    parser.add_argument("--scale", type=int, help="build the bench's synthetic edition this many times as long")
    parser.add_argument("--timeline", action="store_true", help="print every step entered")
    args = parser.parse_args(argv)
    from glossator.pipeline import build

    with tempfile.TemporaryDirectory(prefix="glossator-memory-") as tmp:
        edition = args.edition
        if args.scale:
            import run  # bench/run.py
            edition, _ = run.synthetic(args.edition, Path(tmp) / "edition", args.scale)
        sampler = Sampler()
        sampler.start()
        cpu = time.process_time()
        built = build(edition, args.out or Path(tmp) / "out", own_process=True)
        cpu = time.process_time() - cpu
        sampler.stop = True
        sampler.join()
    print(f"{built.pages} pages; processor time {cpu:.1f} s = {1000 * cpu / built.pages:.0f} ms/page "
          f"(without the imports); peak resident {peak_mb():.0f} MB, reached in {sampler.peak_at[0]}")
    print("most resident memory seen in each step (MB):")
    for step, most in sorted(sampler.most.items(), key=lambda item: -item[1])[:15]:
        print(f"  {most:7.0f}  {step}")
    total = sum(sampler.samples.values())
    print("share of the build's time in each step (samples):")
    for step, n in sorted(sampler.samples.items(), key=lambda item: -item[1])[:15]:
        print(f"  {100 * n / total:5.1f} %  {step}")
    if args.timeline:
        for seconds, step, rss in sampler.timeline:
            print(f"  {seconds:7.2f} s {rss:7.0f} MB  {step}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
