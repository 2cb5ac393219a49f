"""The hashed lock files say what requirements.txt pins: same packages, same versions, a hash for each."""
import re

from conftest import ROOT

# What pip freeze leaves out of requirements.txt but Datasette requires: the lock pins them too.
UNFROZEN = {"pip", "setuptools"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path) -> dict[str, str]:
    """{package: version} of a requirements file's `name==version` lines."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", text, re.MULTILINE)
    return {normalise(name): version for name, version in found}


def entries(path) -> list[str]:
    """Each requirement of a lock file with its continuation lines, as one string."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line for line in text.splitlines() if line and not line.lstrip().startswith("#")]


def test_lock_pins_exactly_the_requirements():
    wanted, locked = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements.lock")
    assert wanted, "no pins read from requirements.txt"
    differ = {n: (v, locked.get(n)) for n, v in wanted.items() if locked.get(n) != v}
    assert not differ, f"requirements.lock is out of date, run make lock: {differ}"
    assert set(locked) - set(wanted) <= UNFROZEN, "requirements.lock has packages requirements.txt does not pin"


def test_every_locked_requirement_has_a_hash():
    for path in (ROOT / "requirements.lock", ROOT / "requirements-uv.txt"):
        listed = entries(path)
        assert listed
        unhashed = [e.split()[0] for e in listed if not re.search(r"--hash=sha256:[0-9a-f]{64}", e)]
        assert not unhashed, f"{path.name}: no hash for {unhashed}"


def test_uv_bootstrap_is_the_pinned_uv():
    assert pins(ROOT / "requirements-uv.txt") == {"uv": pins(ROOT / "requirements.txt")["uv"]}
