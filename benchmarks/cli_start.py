"""Start-up of ``equals --help`` in English, French and Spanish, in fresh processes.

    .venv/bin/python benchmarks/cli_start.py [--repeat 7] [--before DIR]

Each round runs, one after another (interleaved, so the noisy machine hits every variant
alike): importing Typer and Rich alone (the floor any Typer CLI pays: the peer), ``equals
--help`` with ``LANG=C`` (English), ``LANG=fr_FR.UTF-8`` and ``LANG=es_ES.UTF-8``, the help of
a group (``equals sessions --help``) and of a command (``equals indicators list --help``,
which imports its module), and, with ``--before DIR``, the English ones from an older source
tree (``git archive COMMIT src | tar -x -C DIR``) through ``PYTHONPATH``. Reports the median
wall and CPU (user + system) seconds of each and the ratio to English ``equals --help``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HELP = "from equals.cli import main; main()"


def run(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", help="an older source tree (its src/) to compare with")
    args = parser.parse_args()
    plain = {"LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
    variants: dict[str, tuple[str, list[str], dict[str, str]]] = {
        "import typer, rich (floor)": ("import typer, rich.console", [], plain),
        "equals --help, en": (HELP, ["--help"], {**plain, "LANG": "C"}),
        "equals --help, fr": (HELP, ["--help"], {**plain, "LANG": "fr_FR.UTF-8"}),
        "equals --help, es": (HELP, ["--help"], {**plain, "LANG": "es_ES.UTF-8"}),
    }
    others = {"equals sessions --help": ["sessions", "--help"],
              "equals indicators list --help": ["indicators", "list", "--help"]}  # fmt: skip
    for name, argv in others.items():
        variants[name] = (HELP, argv, {**plain, "LANG": "C"})
    if args.before:
        src = os.path.join(args.before, "src")
        for name, argv in {"equals --help": ["--help"], **others}.items():
            variants[f"before: {name}"] = (HELP, argv, {**plain, "LANG": "C", "PYTHONPATH": src})
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for code, argv, env in variants.values():  # warm the file cache once
        run(code, argv, env)
    for _ in range(args.repeat):
        for name, (code, argv, env) in variants.items():
            times[name].append(run(code, argv, env))
    en_wall = statistics.median(w for w, _ in times["equals --help, en"])
    en_cpu = statistics.median(c for _, c in times["equals --help, en"])
    print(f"{'variant':40} {'wall s':>7} {'cpu s':>7} {'wall/en':>8} {'cpu/en':>7}")
    for name, rows in times.items():
        wall = statistics.median(w for w, _ in rows)
        cpu = statistics.median(c for _, c in rows)
        print(f"{name:40} {wall:7.2f} {cpu:7.2f} {wall / en_wall:8.2f} {cpu / en_cpu:7.2f}")


if __name__ == "__main__":
    main()
