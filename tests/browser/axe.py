"""axe-core in the page under test: serious and critical accessibility violations, readably.

axe-core comes from npm into tests/browser/node_modules (`make test` installs it); it is never
served to users. It is evaluated through the DevTools protocol, which the page's CSP does not govern.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN = """async () => {
  const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
  const where = n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(1).join(" ");
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(where)}))
}"""


def _source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make test`, or `npm ci --prefix tests/browser`.")
    return AXE.read_text()


def blocking_violations(page) -> list[str]:
    """Serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    found = page.evaluate(RUN)
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {' | '.join(v['nodes'])}" for v in found if v["impact"] in BLOCKING
    ]
