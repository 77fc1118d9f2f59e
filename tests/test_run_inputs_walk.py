"""The walk of an input folder: each file's real path found from its folder's (resolved once)
unless it is a link, paths compared and sorted part by part: the sources and problems a run
finds, in the order it finds them."""

from __future__ import annotations

import itertools
import os
from pathlib import Path, PurePosixPath

from pipeline.run.inputs import _inside, discover_sources


def test_inside_is_the_folder_itself_or_one_of_the_paths_parents():
    paths = [Path(p) for p in ("/", "/a", "/a/b", "/a/bc", "/a/b/c", "/ab", "//a", "//a/b", "a", "a/b", "ab", ".",
                               "/a/b/../c")]
    for path, folder in itertools.product(paths, repeat=2):
        assert _inside(path, folder) == (path == folder or folder in path.parents), (path, folder)


def test_sources_come_in_path_order_links_judged_and_the_output_left_out(tmp_path):
    inbox = tmp_path / "inbox"
    for name in ("a/b/x.txt", "a-b/y.txt", "a/z.txt", "a.txt", "B.txt", "a/b.txt"):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text("Some text of a page.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Text outside the input folder.\n", encoding="utf-8")
    (inbox / "in.txt").symlink_to(inbox / "a.txt")  # a link inside the input: read
    (inbox / "out.txt").symlink_to(outside)  # a link out of it: said, not read
    (inbox / "gone.txt").symlink_to(inbox / "missing.txt")
    output = inbox / "a" / "out"  # the run's output folder inside its input: never read
    output.mkdir()
    (output / "edition.txt").write_text("written by a run\n", encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    (real / "r.txt").write_text("Reached through a linked input folder.\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)

    sources, problems = discover_sources([inbox, tmp_path / "linked"], exclude=(output,))
    # part by part, as paths sort: a/… before a-b/… (a string sort would put "a-b" first)
    assert [s.relative for s in sources] == [PurePosixPath(p) for p in (
        "B.txt", "a/b/x.txt", "a/b.txt", "a/z.txt", "a-b/y.txt", "a.txt", "in.txt", "r.txt")]
    assert sources[-1].path == tmp_path / "linked" / "r.txt"  # named as given, not as resolved
    assert {(p.path.name, p.problem.split(";")[0]) for p in problems} == {
        ("out.txt", "symbolic link to a file outside the input folder"),
        ("gone.txt", "symbolic link to a file that does not exist")}
    followed, problems = discover_sources([inbox], exclude=(output,), follow_links=True)
    assert "out.txt" in {s.path.name for s in followed} and len(problems) == 1
    # the output folder reached through a link to its parent is still the output folder
    (tmp_path / "via").symlink_to(inbox / "a", target_is_directory=True)
    assert os.path.isdir(tmp_path / "via" / "out")
    again, _ = discover_sources([tmp_path / "via"], exclude=(output,))
    assert [s.relative for s in again] == [PurePosixPath(p) for p in ("b/x.txt", "b.txt", "z.txt")]
