"""Discovery reads a task file again only when it changed (genbench.data.TaskFileCache)."""

from __future__ import annotations

import json
import os
import shutil

import genbench.data._cache as cache_module
from genbench.data import NotATaskFile, TaskFileCache, discover, sample_root
from tests.published_tree import make_published_tree


def test_a_second_discovery_reads_no_unchanged_file_and_finds_the_same(table, tmp_path):
    tree = make_published_tree(tmp_path / "tree")
    fresh = discover(tree.root, table)
    first = TaskFileCache.for_tree(tmp_path / "out", tree.root)
    assert discover(tree.root, table, cache=first).to_json() == fresh.to_json()
    assert not first.path.exists()  # discovery writes nothing; the run saves it
    first.save()
    assert first.reused == 0 and first.path.is_file()
    read = []
    original = cache_module.inspect_json

    def counting(path):
        read.append(path)
        return original(path)

    cache_module.inspect_json = counting
    try:
        again = TaskFileCache.for_tree(tmp_path / "out", tree.root)
        assert discover(tree.root, table, cache=again).to_json() == fresh.to_json()
        assert again.reused > 0
        # only files that do not parse are read again (their task fails on each run)
        assert read and all(
            isinstance(found := original(p), NotATaskFile) and found.unreadable for p in read
        )
    finally:
        cache_module.inspect_json = original


def test_a_changed_file_is_read_again(table, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(sample_root(), tree)
    out = tmp_path / "out"
    first = TaskFileCache.for_tree(out, tree)
    discover(tree, table, cache=first)
    first.save()
    path = tree / "nlp" / "TriviaQA" / "annotation.json"
    data = json.loads(path.read_text())
    data["task"] = "Something Else"
    data["data"] = data["data"][:1]
    path.write_text(json.dumps(data))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    cache = TaskFileCache.for_tree(out, tree)
    found = {t.item_id: t for t in discover(tree, table, cache=cache).tasks}
    assert found["nlp-TriviaQA"].task_name == "Something Else"
    assert found["nlp-TriviaQA"].instances == 1
    assert cache.reused == len(found) - 1


def test_an_unusable_cache_is_passed_over(table, tmp_path):
    tree = sample_root()
    cache = TaskFileCache.for_tree(tmp_path / "out", tree)
    cache.path.parent.mkdir(parents=True)
    cache.path.write_text("{not json")
    assert (
        discover(tree, table, cache=TaskFileCache(cache.path)).to_json()
        == discover(tree, table).to_json()
    )
    (tmp_path / "a file").write_text("not a folder")
    # an outcome folder that cannot be made: no cache, the same discovery
    unwritable = TaskFileCache.for_tree(tmp_path / "a file" / "out", tree)
    assert discover(tree, table, cache=unwritable).to_json() == discover(tree, table).to_json()
    unwritable.save()  # passed over, no error
    assert not unwritable.path.exists()
