"""Retention: render directories untouched for longer than the retention are deleted, others kept."""

import os
import time
from datetime import timedelta

from apps.studio.render import renders_prune


def _render_dir(root, name, *, age_s):
    directory = root / name
    (directory / "sub").mkdir(parents=True)
    files = [directory / "video.mp4", directory / "sub" / "seg_000.m4s"]
    for path in files:
        path.write_bytes(b"x")
    stamp = time.time() - age_s
    for path in files + [directory / "sub", directory]:
        os.utime(path, (stamp, stamp))
    return directory


def test_it_deletes_only_renders_older_than_the_retention(tmp_path):
    old = _render_dir(tmp_path, "old", age_s=8 * 86400)
    recent = _render_dir(tmp_path, "recent", age_s=86400)
    (tmp_path / "stray.txt").write_text("not a render")
    assert renders_prune(root=tmp_path, older_than=timedelta(days=7)) == 1
    assert not old.exists() and recent.exists() and (tmp_path / "stray.txt").exists()


def test_a_render_still_being_written_is_kept(tmp_path):
    busy = _render_dir(tmp_path, "busy", age_s=8 * 86400)
    (busy / "sub" / "seg_001.m4s").write_bytes(b"new")  # a segment landed just now
    os.utime(busy / "sub", (time.time() - 8 * 86400,) * 2)
    os.utime(busy, (time.time() - 8 * 86400,) * 2)
    assert renders_prune(root=tmp_path, older_than=timedelta(days=7)) == 0
    assert busy.exists()


def test_it_never_follows_links_out_of_the_root(tmp_path):
    outside = _render_dir(tmp_path, "outside", age_s=30 * 86400)
    root = tmp_path / "renders"
    root.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    assert renders_prune(root=root, older_than=timedelta(days=7)) == 0
    assert outside.exists()


def test_a_missing_root_prunes_nothing(tmp_path):
    assert renders_prune(root=tmp_path / "nowhere", older_than=timedelta(days=1)) == 0
