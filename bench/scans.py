"""Synthetic OCR scans with known artefacts, for the layout tests and benchmark.

Each scan is composed here (titles, chapter schemes, running heads alternating recto and
verso or dropped, Arabic and Chinese page numbers, catalogue stamps in several formats,
paragraphs cut across pages, garbage of several kinds, a truncated ending) and comes with
the truth: where every piece of furniture, every cut and every garbled span is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.texts import PARAGRAPHS

CHINESE_SENTENCES = [s + "。" for p in PARAGRAPHS["zh-Hant"] for s in p.rstrip("。").split("。") if s] + [
    "各國的代表在會議上發表了意見，其中有贊成的，也有反對的。",
    "這一時期的貿易以絲綢、茶葉和瓷器為大宗，輸出的數量逐年增加。",
    "條約簽訂以後，兩國的關係並沒有立刻改善，邊境上的糾紛仍然時有發生。",
    "作者在序言中說明了寫作的經過，並感謝了幫助他搜集材料的朋友們。",
    "當時的報紙對這件事有不同的記載，我們只能擇要加以說明。",
    "由於交通不便，消息傳到首都的時候，已經是一個月以後的事情了。",
]
ENGLISH_SENTENCES = [s.strip().rstrip(".") + "." for p in PARAGRAPHS["en"] for s in p.split(". ") if s] + [
    "The delegates met again in the autumn, although several governments had recalled their ministers.",
    "Commercial correspondence of this period is unusually well preserved in the provincial archives.",
    "Negotiations continued throughout the winter, interrupted only by the holidays and the illness of the chairman.",
    "The committee recommended that the documents be transcribed and published in a critical edition.",
    "Such considerations determined the attitude of the government towards its neighbours for many years.",
]
TITLES_ZH = ["中國近代外交史綱", "東亞貿易史研究", "歐洲和約之研究"]
TITLES_EN = ["A HISTORY OF TREATIES", "THE MERCHANTS OF THE NORTH", "STUDIES IN DIPLOMACY"]
CHINESE_NUMERALS = "〇一二三四五六七八九"
# Symbol soup, Latin noise, a loop; rare characters (radicals, strokes, bopomofo, Suzhou
# numerals, box drawing: letters to Unicode, noise to a reader); a loop with a stray inside.
GARBAGE_ZH = ["#@%&*~^|§", "xqzv brtkl mnpwq", "，反對侵略，反對侵略，反對侵略，反對侵略",
              "丨丶丿亅冂凵ㄅ〡┃", "，貿易協定，貿易協定，貿易协定，貿易協定"]


def chinese_page_number(n: int, style: str) -> str:
    if style == "chinese":
        return "".join(CHINESE_NUMERALS[int(d)] for d in str(n))
    if style == "dashed":
        return f"— {n} —"
    return str(n)


def catalogue_stamp(rng: random.Random) -> str:
    style = rng.choice(["compact", "spaced", "dotted"])
    if style == "compact":
        return f"{rng.choice(['CWT', 'HJ', 'DS'])}{rng.randint(100, 999)}/{rng.randint(1, 99):02d}"
    if style == "spaced":
        return f"K {rng.randint(1000, 9999)}.{rng.randint(1, 9)} / {rng.randint(100, 999)}"
    return f"D{rng.randint(10, 99)}.{rng.randint(100, 999)}-{rng.randint(1, 9)}"


@dataclass
class Scan:
    text: str
    furniture: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind)
    cuts: list[int] = field(default_factory=list)  # offsets where a cut paragraph goes on
    page_starts: list[int] = field(default_factory=list)  # paragraph starts at a page top: no join
    garbled: list[tuple[int, int]] = field(default_factory=list)
    hyphens: list[int] = field(default_factory=list)  # offsets of end-of-line hyphens to remove
    truncated: bool = True


class _Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def write(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length


def chinese_scan(seed: int) -> Scan:
    """A book in the style of the scanned seed: one paragraph per line, blank lines between,
    page furniture as lines of their own where pages turn, often inside a paragraph."""
    rng = random.Random(seed)
    title = TITLES_ZH[seed % len(TITLES_ZH)]
    units = [("章", "節"), ("編", "章")][seed % 2]
    number_style = ["chinese", "arabic", "dashed"][seed % 3]
    out, scan = _Writer(), Scan(text="")
    out.write(f"{title}\n\n")
    page, page_chars, page_size = 1, 0, rng.randint(500, 700)
    chapters = [(f"第{CHINESE_NUMERALS[c + 1]}{units[0]} " + rng.choice(
        ["緒論", "貿易的發展", "條約與交涉", "戰後的局勢"]) + f"之{CHINESE_NUMERALS[c + 1]}") for c in range(3)]
    garbage_left, inserted = list(GARBAGE_ZH), []
    for chapter in chapters:
        out.write(chapter + "\n\n")
        for _ in range(rng.randint(4, 6)):
            sentences = rng.sample(CHINESE_SENTENCES, rng.randint(3, 7))  # no sentence twice in a row
            paragraph = "".join(sentences)
            if garbage_left and rng.random() < 0.3:
                garbage = garbage_left.pop()
                cut = paragraph.index("。") + 1
                paragraph = paragraph[:cut] + garbage + paragraph[cut:]
                inserted.append(garbage.lstrip("，"))
            position = 0
            while position < len(paragraph):
                room = page_size - page_chars
                if len(paragraph) - position <= room:
                    out.write(paragraph[position:] + "\n\n")
                    page_chars += len(paragraph) - position
                    break
                split = position + max(room, 10)
                while paragraph[split - 1] in "，。、；：「」" or paragraph[split] in "，。、；：「」":
                    split += 1  # OCR cuts land between characters, not on punctuation
                out.write(paragraph[position:split] + "\n\n")
                position = split
                page += 1
                page_chars = 0
                _chinese_furniture(out, scan, rng, page, title, chapter, number_style)
                scan.cuts.append(out.length)
            if position == 0 and page_chars == 0:
                scan.page_starts.append(out.length)
    text = "".join(out.parts).rstrip("\n")
    cut_at = text.rfind("。", 0, len(text) - 5)
    text = text[: cut_at + 4]  # the scan breaks off mid-sentence
    scan.text = text + "\n"
    scan.furniture = [f for f in scan.furniture if f[1] <= len(text)]
    scan.cuts = [c for c in scan.cuts if c < len(text)]
    for garbage in inserted:  # found in the final text: page furniture may have moved it
        start = text.find(garbage)
        if start >= 0:
            scan.garbled.append((start, start + len(garbage)))
    return scan


def _chinese_furniture(out: _Writer, scan: Scan, rng: random.Random, page: int, title: str, chapter: str,
                       number_style: str) -> None:
    if rng.random() < 0.8:  # heads dropped on some pages
        head = title if page % 2 == 0 else chapter  # recto and verso alternate
        start, end = out.write(head)
        scan.furniture.append((start, end, "running-head"))
        out.write("\n\n")
    if rng.random() < 0.8:
        start, end = out.write(chinese_page_number(page, number_style))
        scan.furniture.append((start, end, "page-number"))
        out.write("\n\n")
    if rng.random() < 0.3:
        start, end = out.write(catalogue_stamp(rng))
        scan.furniture.append((start, end, "catalogue-number"))
        out.write("\n\n")


GARBLED_DIGITS = {"13": "IZ", "18": "l8", "8": "«", "11": "Il", "10": "lO"}


def english_scan(seed: int) -> Scan:
    """A printed book exported one line per printed line: no blank line between paragraphs
    (a new one is indented), words hyphenated at line ends, a page number at the foot of
    each page (sometimes garbled by the OCR), running heads at the top, pages separated by
    form feeds or blank lines."""
    rng = random.Random(seed)
    title = TITLES_EN[seed % len(TITLES_EN)]
    out, scan = _Writer(), Scan(text="", truncated=False)
    separator = "\f" if seed % 2 else "\n\n"
    width, lines_per_page = 60, 24
    chapter = "CHAPTER ONE"
    paragraphs = [" ".join(rng.sample(ENGLISH_SENTENCES, rng.randint(3, 6))) for _ in range(14)]
    lines: list[tuple[str, bool]] = []  # (line, ends a paragraph)
    for paragraph in paragraphs:
        words, line = paragraph.split(), "    "
        for word in words:
            if len(line) + len(word) + 1 > width:
                if len(word) > 7 and rng.random() < 0.5 and "-" not in word:
                    head = word[: len(word) // 2]
                    lines.append((line + " " + head + "-", False))
                    line = word[len(word) // 2:]
                    continue
                lines.append((line, False))
                line = word
            else:
                line = f"{line} {word}" if line.strip() else line + word
        lines.append((line, True))
    out.write(chapter + "\n\n")  # the chapter's own heading; running heads repeat it
    page = 1
    for index in range(0, len(lines), lines_per_page):
        page_lines = lines[index:index + lines_per_page]
        if page > 1:
            head = title if page % 2 == 0 else chapter
            start, end = out.write(head)
            scan.furniture.append((start, end, "running-head"))
            out.write("\n\n")
            if index and not lines[index - 1][1]:
                scan.cuts.append(out.length)
        for line, _ in page_lines:
            line_start = out.length
            out.write(line + "\n")
            if line.endswith("-") and line[-2:-1].isalpha():
                scan.hyphens.append(line_start + len(line) - 1)
        number = str(page)
        shown = GARBLED_DIGITS.get(number, number) if rng.random() < 0.5 else number
        out.write("\n")
        start, end = out.write(shown)
        scan.furniture.append((start, end, "page-number"))
        out.write("\n" + separator)
        page += 1
    scan.text = "".join(out.parts)
    return scan
