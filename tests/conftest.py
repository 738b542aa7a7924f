import pytest


@pytest.fixture(scope="session")
def nlp():
    """The extraction pipeline, built once for the whole session."""
    from kg.extract import make_nlp

    return make_nlp()
