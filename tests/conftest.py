import signal

import pytest

# A shell runs a background job (`make test &`, `nohup … &`) with Ctrl-C ignored, and a
# child inherits that: the tests that send SIGINT to a `kg` subprocess would then see it
# ignored. Give the test process Python's own handler, so children start with the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def nlp():
    """The extraction pipeline, built once for the whole session."""
    from kg.extract import make_nlp

    return make_nlp()
