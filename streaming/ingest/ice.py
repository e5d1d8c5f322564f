"""Which local addresses WebRTC ingest offers as ICE host candidates (``ice_interfaces``).

aioice gathers host candidates from every interface except loopback: its
``get_host_addresses`` drops 127.0.0.1 (and ::1). That suits a server reached over the
network, but not a publisher on the same machine (a test, a studio on the server itself),
and it offers every address the machine has, when an operator may want ingest on one
interface only. aioice has no setting for this, so :func:`allow_ice_interfaces` replaces
that one module-level function (aioice looks it up at call time) by one that keeps only
the named interfaces or addresses. An empty spec puts aioice's own function back.
"""

from __future__ import annotations

import ipaddress

import aioice.ice
import ifaddr

_ORIGINAL = aioice.ice.get_host_addresses


def parse_spec(spec: str) -> tuple[frozenset[str], frozenset[str]]:
    """Split ``"lo, eth0 192.0.2.7"`` into (interface names, addresses)."""
    names: set[str] = set()
    addresses: set[str] = set()
    for item in spec.replace(",", " ").split():
        try:
            addresses.add(str(ipaddress.ip_address(item)))
        except ValueError:
            names.add(item)
    return frozenset(names), frozenset(addresses)


def allowed_addresses(
    names: frozenset[str], addresses: frozenset[str], *, use_ipv4: bool, use_ipv6: bool
) -> list[str]:
    """This machine's addresses on the named interfaces, plus those named directly."""
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        by_name = adapter.name in names or adapter.nice_name in names
        for ip in adapter.ips:
            if isinstance(ip.ip, str):
                address, is_v6 = ip.ip, False
            else:
                # IPv6 entries are (address, flowinfo, scope id); link-local ones (scope id
                # set) need the zone to be usable, which SDP candidates cannot carry.
                if ip.ip[2] != 0:
                    continue
                address, is_v6 = ip.ip[0], True
            if (is_v6 and not use_ipv6) or (not is_v6 and not use_ipv4):
                continue
            if (by_name or address in addresses) and address not in found:
                found.append(address)
    return found


def allow_ice_interfaces(spec: str) -> None:
    """Gather ICE host candidates only from the interfaces or addresses in ``spec``.

    ``spec`` lists names ("lo", "eth0") and/or addresses ("127.0.0.1"), separated by commas
    or spaces; "lo" admits 127.0.0.1. Empty: aioice's default (every non-loopback address).
    Process-wide, as aioice's gathering is; the last call wins.
    """
    names, addresses = parse_spec(spec)
    if not names and not addresses:
        aioice.ice.get_host_addresses = _ORIGINAL
        return

    def get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return allowed_addresses(names, addresses, use_ipv4=use_ipv4, use_ipv6=use_ipv6)

    aioice.ice.get_host_addresses = get_host_addresses
