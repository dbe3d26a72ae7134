"""What the recording generators (fleet_gen.py, history_gen.py) share:
glass's time format and a walk over a snapshot's tree."""
import datetime


def rfc3339(t):
    """UNIX seconds as glass writes a snapshot's time."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")


def walk(n):
    """Every node of a snapshot tree, parents first."""
    yield n
    for c in n.get("children", []):
        yield from walk(c)
