"""The core stays usable without a screen, and the sandbox never borrows the client engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mcexplorer"


def _imports(folder: Path) -> list[tuple[Path, str]]:
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


def test_core_never_imports_textual() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path, name in _imports(PACKAGE / "core")
        if name.split(".")[0] in ("textual", "rich") or name.startswith("mcexplorer.tui")
    ]
    assert offenders == []


def test_sandbox_never_imports_the_client_engine() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path, name in _imports(PACKAGE / "sandbox")
        if name.startswith(("mcexplorer.core", "mcexplorer.tui", "textual"))
    ]
    assert offenders == []


def test_importing_the_core_loads_no_textual() -> None:
    core = PACKAGE / "core"
    modules = sorted(
        ".".join(p.relative_to(core).with_suffix("").parts)
        for p in core.rglob("*.py")
        if p.stem != "__init__"
    )
    assert "http.engine" in modules  # the walk reaches the subpackages
    code = (
        "import sys\n"
        + "".join(f"import mcexplorer.core.{m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_explorer_paints_its_first_frame_without_the_engine_or_httpx(tmp_path: Path) -> None:
    """The engine and httpx (~100 ms of imports) load after the first frame, not before it."""
    code = f"""
import asyncio, sys
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.screens.explorer import ExplorerScreen

seen = {{}}

class Probe(ExplorerScreen):
    def _first_frame_shown(self):
        seen["loaded"] = sorted(
            m for m in ("httpx", "mcexplorer.core.http.engine", "mcexplorer.core.session.session")
            if m in sys.modules
        )
        self.app.exit()

app = ExplorerApp(collections_dir={str(tmp_path)!r}, history=False)
app.explorer = Probe()
app.explorer.collections_dir = {str(tmp_path)!r}
asyncio.run(app.run_async(headless=True, size=(120, 40)))
print(",".join(seen["loaded"]) or "none")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip().splitlines()[-1] == "none"
