"""Run the question bank's code against real PyTorch.

Every ```python runnable block must exit cleanly, and every `output` question's snippet must
print exactly its key (the first accepted answer), or raise the exception class the key names.

Usage: python scripts/check_content.py [content/bank | FILE.yaml ...]   (run with the PyTorch venv)
Blocks run in parallel worker processes; exits non-zero when any check fails.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

RUNNABLE = re.compile(r"^```python[ \t]+runnable[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
SNIPPET = re.compile(r"^```python[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Interrupt|Exit))\b", re.M)
FIELDS = ("body", "answer")


@dataclass
class Check:
    label: str
    code: str
    expected: str | None = None  # an output question's key


def checks_in(paths: list[Path]):
    files = [f for path in paths for f in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])]
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for question in data.get("questions") or []:
            label = f"{file.name}:{question['slug']}"
            if question.get("kind") == "output":
                snippets = SNIPPET.findall(question.get("body") or "")
                keys = question.get("accepted_answers") or []
                yield Check(f"{label}#output", snippets[0] if snippets else "", str(keys[0]) if keys else "")
            texts = [question.get(name) or "" for name in FIELDS]
            texts += [choice.get("explanation") or "" for choice in question.get("choices") or []]
            blocks = [block for text in texts for block in RUNNABLE.findall(text)]
            for number, code in enumerate(blocks, 1):
                yield Check(f"{label}#{number}", code)


def raised(stderr: str) -> str:
    """The class name of the exception a traceback ends with, without its module path."""
    names = EXCEPTION_LINE.findall(stderr)
    return names[-1].rsplit(".", 1)[-1] if names else ""


def run(check: Check) -> tuple[bool, str]:
    if check.expected is not None and not check.code:
        return False, "an output question needs exactly one ```python block"
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    try:
        with tempfile.TemporaryDirectory() as workdir:  # blocks may write files; each gets its own folder
            result = subprocess.run(
                [sys.executable, "-c", check.code], cwd=workdir, capture_output=True, text=True, timeout=180, env=env
            )
    except subprocess.TimeoutExpired:
        return False, "timed out after 180 s"
    if check.expected is None:
        return result.returncode == 0, result.stderr.strip()[-2000:]
    printed = result.stdout.rstrip() if result.returncode == 0 else raised(result.stderr)
    if "\n".join(line.rstrip() for line in printed.splitlines()) == check.expected.strip():
        return True, ""
    return False, f"key {check.expected.strip()!r} but the code gave {printed!r}\n{result.stderr.strip()[-1500:]}"


def main(args: list[str]) -> int:
    paths = [Path(arg) for arg in args] or [Path("content/bank")]
    checks = list(checks_in(paths))
    started = time.perf_counter()
    failures = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for check, (ok, detail) in zip(checks, pool.map(run, checks), strict=True):
            print(f"{'ok' if ok else 'FAILED':6} {check.label}")
            if not ok:
                failures.append(check.label)
                print(detail)
    outputs = sum(1 for check in checks if check.expected is not None)
    print(
        f"{len(checks) - len(failures)} passed, {len(failures)} failed "
        f"({outputs} output keys, {len(checks) - outputs} runnable blocks) in {time.perf_counter() - started:.1f}s"
    )
    return 1 if failures or not checks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
