"""The HTML reading view: regularized text, every intervention marked, originals on hover."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree, html

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"


def _page(seed_editions, name):
    return html.fromstring(seed_editions[name][1].preview)


def test_the_book_preview_marks_every_kind_of_intervention(seed_editions):
    page = _page(seed_editions, "002_492f708f3fafdf19.txt")
    assert page.findtext(".//title") == "蘇聯外交政策史論"
    corrections = page.xpath("//span[@class='corr']")
    assert any(c.text == "結" and "original: 结" in c.get("title") for c in corrections)
    regularized = page.xpath("//span[@class='reg']")
    assert any(r.text == "為" and "original: 爲" in r.get("title") for r in regularized)
    assert any("蘇聯與蘇聯" in u.text_content() for u in page.xpath("//span[@class='unclear']"))
    assert "CWT326/09" in [f.text_content() for f in page.xpath("//span[@class='fw']")]
    assert len(page.xpath("//span[@class='pb']")) >= 10
    assert page.xpath("//nav[@class='contents']//li")


def test_parallel_texts_and_notes_are_laid_out(seed_editions):
    article = _page(seed_editions, "000_98e9ae74c10308c1.txt")
    rows = article.xpath("//div[contains(@class, 'parallel')]/div[contains(@class, 'pair')]")
    assert len(rows) > 50  # one row per pair: each pair starts at the same height
    tei = etree.fromstring(seed_editions["000_98e9ae74c10308c1.txt"][1].xml)
    corresp = {e.get("{http://www.w3.org/XML/1998/namespace}id"): e.get("corresp", "")[1:]
               for e in tei.iter() if e.get("corresp")}
    for row in rows:
        translation, original = row.xpath("./div")
        assert translation.get("class") == "translation" and original.get("class") == "original"
        left, right = translation.xpath("./*[@id]")[0].get("id"), original.xpath("./*[@id]")[0].get("id")
        assert corresp[left] == right
    assert article.xpath("//p[@data-corresp]")
    # the source's "Title:/Author:/Date:/Page:" lines are the page's header, not body text
    assert [dt.text for dt in article.xpath("//header//dl[@class='metadata']/dt")] == ["Title", "Author", "Date",
                                                                                       "Page"]
    assert "Author: Ke Bonian" not in article.xpath("string(//main)")
    dispatch = _page(seed_editions, "003_22d16b25c756b627.txt")
    notes = dispatch.xpath("//span[@class='note']")
    assert len(notes) == 2 and dispatch.xpath("//a[@href='#fn2']")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_preview_renders_in_headless_chromium(seed_editions, tmp_path):
    page = tmp_path / "book.html"
    page.write_bytes(seed_editions["002_492f708f3fafdf19.txt"][1].preview)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    rendered = html.fromstring(dom)
    assert "蘇聯外交政策史論" in rendered.text_content()
    assert rendered.xpath("//span[@class='corr' and contains(@title, '结')]")
    assert rendered.xpath("//span[@class='fw']") and rendered.xpath("//span[@class='pb']")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "preview-002.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_digitized_page_shows_its_image_and_outlines_the_hovered_line(tmp_path):
    """Three Grenzboten pages (ABBYY XML and the 1-bit TIFFs): the preview shows each page's PNG
    copy beside its text, and moving the mouse over a line outlines that line's zone."""
    import shutil as files

    from pipeline.config import PipelineConfig
    from pipeline.run.document import process_file
    from pipeline.run.inputs import discover_sources

    corpus = ROOT / "tests" / "data" / "grenzboten-1841"
    book = tmp_path / "book"
    book.mkdir()
    imaged = {path.stem for path in (corpus / "tif").iterdir()}  # the pages that have their images
    for path in sorted((corpus / "abbyy-xml").iterdir()) + sorted((corpus / "tif").iterdir()):
        if path.name.split(".")[0] in imaged:
            files.copy(path, book)
    source = discover_sources([book])[0][0]
    out = tmp_path / "out"
    assert process_file(source.path, out, PipelineConfig(), "book", "book", source.pages).status == "ok"
    preview = (out / "book.html").read_text(encoding="utf-8")
    images = html.fromstring(preview).xpath("//span[@class='page']/img/@src")
    assert images == ["book.pages/0001.png", "book.pages/0002.png", "book.pages/0003.png"]
    assert all((out / image).stat().st_size > 10_000 for image in images)
    probe = """<script>
      window.addEventListener('load', function () {
        var marker = document.querySelectorAll('span.lb[data-zone]')[7];
        var text = marker.nextSibling, range = document.createRange();
        range.setStart(text, 2); range.setEnd(text, 3);
        var box = range.getBoundingClientRect();
        document.dispatchEvent(new MouseEvent('mousemove', {clientX: box.left + 1, clientY: box.top + box.height / 2}));
        var on = document.querySelector('.zone.on');
        document.body.setAttribute('data-probe', (on ? on.id : 'none') + ' ' + marker.dataset.zone);
      });
    </script></body>"""
    page = out / "probe.html"
    page.write_text(preview.replace("</body>", probe), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", "--virtual-time-budget=5000"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    lit, hovered = html.fromstring(dom).xpath("//body/@data-probe")[0].split()
    assert lit == f"z-{hovered}"  # the zone of the line under the mouse, and no other, is outlined
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run([CHROMIUM, *flags, f"--screenshot={ARTIFACTS / 'preview-facsimile.png'}", page.as_uri()],
                   capture_output=True, timeout=120)


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1000,1400", "--virtual-time-budget=5000"]


def probe_in_chromium(preview: bytes, script: str, tmp_path, shot: str | None = None) -> str:
    """Load a preview in headless Chromium, run ``script`` (a function body returning a string)
    once it is laid out, and return what it returned; ``shot`` saves a screenshot as well."""
    probe = ("<script>window.addEventListener('load', function () { document.body.setAttribute('data-probe', "
             f"(function () {{ {script} }})()); }});</script></body>")
    page = tmp_path / "probe.html"
    page.write_bytes(preview.replace(b"</body>", probe.encode()))
    flags = [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    if shot:
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run([CHROMIUM, *flags, f"--screenshot={ARTIFACTS / shot}", page.as_uri()], capture_output=True,
                       timeout=120)
    return html.fromstring(dom).xpath("//body/@data-probe")[0]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_contents_page_numbers_stand_in_their_entrys_row(seed_editions, tmp_path):
    """The Chinese book's table of contents: each page number on the line of its entry's
    title, none floating down past the contents into chapter 1."""
    script = """
      var nav = document.querySelector('nav.contents').getBoundingClientRect(), out = [];
      document.querySelectorAll('nav.contents li').forEach(function (li) {
        var number = li.querySelector(':scope > span[title^="page "]:not(.pb)');  // its page number
        var text = Array.prototype.find.call(li.childNodes, function (n) { return n.nodeType === 3 && n.data.trim(); });
        var title = document.createRange();
        title.selectNodeContents(text);
        var row = title.getClientRects()[0], box = number.getBoundingClientRect();
        out.push(Math.abs(box.top + box.height / 2 - (row.top + row.height / 2)) < row.height / 2
                 && box.bottom <= nav.bottom && box.left > row.right ? 1 : 0);
      });
      return out.join('');"""
    rows = probe_in_chromium(seed_editions["002_492f708f3fafdf19.txt"][1].preview, script, tmp_path,
                             shot="preview-contents.png")
    assert len(rows) >= 25 and set(rows) == {"1"}, rows


FRAKTUR = ("Die Geſchichte des Landes iſt lang, und ſie beginnt mit dem Waſſer, das aus den Bergen kommt.\n\n"
           "Der Fluß iſt breit; an ſeinen Ufern ſtehen die Städte, deren Bürger ſich vom Handel nähren.\n")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_letterform_regularizations_are_marked_only_on_hover_or_on_request(seed_editions, tmp_path):
    from pipeline.config import PipelineConfig
    from pipeline.process import build_edition

    preview = build_edition(FRAKTUR.encode(), "fraktur.txt", PipelineConfig()).preview
    page = html.fromstring(preview)
    letterforms = page.xpath("//span[contains(@class, 'letterform')]")
    assert len(letterforms) == FRAKTUR.count("ſ") and all("original: ſ" in s.get("title") for s in letterforms)
    script = """
      function look(e) { var s = getComputedStyle(e); return s.borderBottomStyle + '/' + s.backgroundColor; }
      var form = document.querySelector('.letterform'), before = look(form);
      document.getElementById('show-letterforms').click();
      return before + '|' + look(form);"""
    before, after = probe_in_chromium(preview, script, tmp_path, shot="preview-letterforms.png").split("|")
    assert before == "none/rgba(0, 0, 0, 0)"  # the text reads plainly: no sea of marks
    assert after.startswith("solid/") and after != before  # every one marked on request

    # other regularizations (a Chinese variant character) stay marked as before
    script = "var s = getComputedStyle(document.querySelector('span.reg[title*=\"爲\"]')); return s.borderBottomStyle;"
    assert probe_in_chromium(seed_editions["002_492f708f3fafdf19.txt"][1].preview, script, tmp_path) == "solid"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_page_furniture_looks_like_furniture_not_like_deleted_text(seed_editions, tmp_path):
    script = """
      var body = parseFloat(getComputedStyle(document.querySelector('main p')).fontSize), out = [];
      document.querySelectorAll('main .fw').forEach(function (fw) {
        var s = getComputedStyle(fw);
        out.push(s.textDecorationLine + '/' + (parseFloat(s.fontSize) < body) + '/' + s.color.replace(/ /g, ''));
      });
      return out.join(' ');"""
    looks = set(probe_in_chromium(seed_editions["002_492f708f3fafdf19.txt"][1].preview, script, tmp_path).split())
    assert looks and all(look.startswith("none/true/") for look in looks), looks  # never struck through
    assert all(look.split("/")[2] != "rgb(0,0,0)" for look in looks)  # grey: print beside the text
