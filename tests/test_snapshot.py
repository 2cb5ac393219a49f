"""The served snapshot (publish/snapshot.py): one immutable folder per build, named by its bytes, and a
link swapped to the newest; made here from small published trees in a scratch folder."""
import hashlib
import os
import re

from conftest import ROOT

from publish import snapshot
from web import serve

# The six static mounts the servers serve, with where each is published, typed out (HELPERS.md's contract).
MOUNTS = {"csv": "tables", "parquet": "build/parquet", "package": "build/package", "validation": "build/validation",
          "downloads": "build/downloads", "site": "build/site"}


def publish_tree(root, text="a"):
    """A published package in miniature: every file and folder a snapshot takes, one small file each."""
    for name, rel in snapshot.SOURCES.items():
        target = root / rel
        if "." in name:  # managing_doctors.sqlite, metadata.json
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{name} {text}")
        else:
            (target / "sub").mkdir(parents=True, exist_ok=True)
            (target / f"{name}.txt").write_text(f"{name} {text}")
            (target / "sub" / "deeper.txt").write_text(f"{name}/sub {text}")
    return root


def replace(path, text):
    """As publishing writes: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_the_snapshot_mounts_are_the_servers_static_mounts():
    assert snapshot.SOURCES == {"managing_doctors.sqlite": "build/managing_doctors.sqlite",
                                "metadata.json": "build/metadata.json", **MOUNTS}
    assert serve.STATIC == {mount: ROOT / rel for mount, rel in MOUNTS.items()}


def test_a_snapshot_holds_every_served_file_under_its_build_id(tmp_path):
    root = publish_tree(tmp_path)
    bid = snapshot.make(root)
    served = root / "build" / "served"
    assert len(bid) == 20 and set(bid) <= set("0123456789abcdef")
    assert os.readlink(served / "current") == bid  # relative
    folder = served / bid
    assert (folder / "managing_doctors.sqlite").read_text() == "managing_doctors.sqlite a"
    assert (folder / "metadata.json").read_text() == "metadata.json a"
    for mount in MOUNTS:
        assert (folder / mount / f"{mount}.txt").read_text() == f"{mount} a"
        assert (folder / mount / "sub" / "deeper.txt").read_text() == f"{mount}/sub a"
    # hard links: the very bytes that are published, not a copy made later
    assert (folder / "csv" / "csv.txt").stat().st_ino == (root / "tables" / "csv.txt").stat().st_ino
    assert snapshot.current(root) == folder.resolve()


def test_the_build_id_is_the_sha256_of_paths_and_bytes_in_sorted_order(tmp_path):
    root = publish_tree(tmp_path)
    # The snapshot's files as publish_tree wrote them, by path within it: typed here, not listed by
    # snapshot.files, so that a file the snapshot leaves out (or adds) changes the id.
    written = {"managing_doctors.sqlite": "managing_doctors.sqlite a", "metadata.json": "metadata.json a"}
    for mount in MOUNTS:
        written[f"{mount}/{mount}.txt"] = f"{mount} a"
        written[f"{mount}/sub/deeper.txt"] = f"{mount}/sub a"
    assert len(written) == 14  # two files and six mounts of two files each
    h = hashlib.sha256()
    for rel in sorted(written):
        data = written[rel].encode()
        h.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    assert sorted(snapshot.files(root)) == sorted(written)
    assert snapshot.make(root) == h.hexdigest()[:20]


def test_the_same_bytes_give_the_same_snapshot_and_new_bytes_a_new_one(tmp_path):
    root = publish_tree(tmp_path)
    first = snapshot.make(root)
    assert snapshot.make(root) == first
    assert sorted(p.name for p in (root / "build" / "served").iterdir()) == [first, "current"]
    replace(root / "build" / "downloads" / "downloads.txt", "new bytes")
    second = snapshot.make(root)
    assert second != first
    assert os.readlink(root / "build" / "served" / "current") == second
    # the first snapshot still serves the bytes it was made with
    assert (root / "build" / "served" / first / "downloads" / "downloads.txt").read_text() == "downloads a"
    assert (root / "build" / "served" / second / "downloads" / "downloads.txt").read_text() == "new bytes"


def test_three_snapshots_are_kept_and_never_the_current_one_removed(tmp_path):
    root = publish_tree(tmp_path)
    ids = []
    for n in range(5):
        replace(root / "build" / "metadata.json", f"version {n}")
        ids.append(snapshot.make(root))
        # distinct times, as builds seconds apart have
        os.utime(root / "build" / "served" / ids[-1], ns=(n * 10**9, n * 10**9))
    served = root / "build" / "served"
    assert sorted(p.name for p in served.iterdir() if p.name != "current") == sorted(ids[-3:])
    # an older build published again (its snapshot removed) comes back as the current one
    replace(root / "build" / "metadata.json", "version 0")
    assert snapshot.make(root) == ids[0]
    assert os.readlink(served / "current") == ids[0]
    assert ids[0] in {p.name for p in served.iterdir()}
    assert len([p for p in served.iterdir() if p.name != "current"]) == 3


def test_a_missing_published_part_is_named(tmp_path):
    root = publish_tree(tmp_path)
    (root / "build" / "metadata.json").unlink()
    try:
        snapshot.make(root)
    except FileNotFoundError as e:
        assert "build/metadata.json" in str(e)
    else:
        raise AssertionError("a snapshot without metadata.json was made")
    assert not (root / "build" / "served" / "current").exists()


def test_every_checksum_the_served_metadata_states_is_of_a_file_served_beside_it():
    """In the snapshot make published: the SHA-256 of each download on the home page, and every checksum the
    pages' JSON-LD states, is computed from the very bytes served in that snapshot."""
    folder = snapshot.current(ROOT)
    assert folder is not None, "run make: nothing is published"
    served = {hashlib.sha256(p.read_bytes()).hexdigest(): p.relative_to(folder).as_posix()
              for p in folder.rglob("*") if p.is_file()}
    stated = set(re.findall(r"\b[0-9a-f]{64}\b", (folder / "metadata.json").read_text(encoding="utf-8")))
    assert stated and stated <= set(served), sorted(stated - set(served))
    downloads = [p for p in (folder / "downloads").iterdir() if p.is_file()]
    assert len(downloads) == 2  # the workbook and the bundle
    for p in downloads:
        assert hashlib.sha256(p.read_bytes()).hexdigest() in stated, p.name
