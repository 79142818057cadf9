"""Run every ```python runnable block of the question bank against real PyTorch.

Usage: python scripts/check_content.py content/bank   (run with the PyTorch virtual environment)
Exits non-zero when any block fails or prints to stderr a traceback.
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

FENCE = re.compile(r"^```python[ \t]+runnable[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
FIELDS = ("body", "answer")


def runnable_blocks(folder: Path):
    for file in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for question in data.get("questions") or []:
            texts = [question.get(name) or "" for name in FIELDS]
            texts += [choice.get("explanation") or "" for choice in question.get("choices") or []]
            for text in texts:
                for number, match in enumerate(FENCE.finditer(text), 1):
                    yield f"{file.name}:{question['slug']}#{number}", match.group(1)


def main(folder: str) -> int:
    failures, count = [], 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        for label, code in runnable_blocks(Path(folder)):
            count += 1
            result = subprocess.run(
                [sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=120
            )
            status = "ok" if result.returncode == 0 else "FAILED"
            print(f"{status:6} {label}")
            if result.returncode != 0:
                failures.append(label)
                print(result.stderr.strip()[-2000:])
    print(f"{count - len(failures)} passed, {len(failures)} failed in {time.perf_counter() - started:.1f}s")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "content/bank"))
