import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def example_site():
    """The example site under content/, loaded once for the tests that only read it."""
    from site_builder.loader import load_site
    loaded, _ = load_site(Path(__file__).resolve().parent.parent / "content")
    assert loaded is not None
    return loaded
