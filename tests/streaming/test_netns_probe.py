import socket

import pytest

from tests.netns import inside_private_network


@pytest.mark.netns
def test_runs_with_only_loopback() -> None:
    assert inside_private_network()
    names = {name for _, name in socket.if_nameindex()}
    assert names == {"lo"}
