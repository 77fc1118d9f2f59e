"""Make docs/preview.png, the README's picture of the HTML preview: three pages of Die
Grenzboten (1841) from tests/data (ABBYY's XML beside the scans) built into an edition, its
preview shot by headless Chromium, scaled and reduced to a small palette.

    .venv/bin/python scripts/preview_picture.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from pipeline.config import PipelineConfig  # noqa: E402
from pipeline.run.document import process_file  # noqa: E402
from pipeline.run.inputs import discover_sources  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "grenzboten-1841"
PICTURE = ROOT / "docs" / "preview.png"


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is needed (scripts/install-system-packages.sh installs it)")
    work = Path(tempfile.mkdtemp())
    book = work / "grenzboten-1841"
    book.mkdir()
    imaged = {path.stem for path in (CORPUS / "tif").iterdir()}
    for path in sorted((CORPUS / "abbyy-xml").iterdir()) + sorted((CORPUS / "tif").iterdir()):
        if path.name.split(".")[0] in imaged:
            shutil.copy(path, book)
    source = discover_sources([book])[0][0]
    out = work / "out"
    process_file(source.path, out, PipelineConfig(), book.name, book.name, source.pages)
    shot = work / "shot.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                    f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=5000", "--window-size=1100,700",
                    f"--screenshot={shot}", (out / f"{book.name}.html").as_uri()], check=True, capture_output=True)
    image = Image.open(shot).convert("RGB").resize((880, 560), Image.LANCZOS)
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(PICTURE, optimize=True)
    shutil.rmtree(work)
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    main()
