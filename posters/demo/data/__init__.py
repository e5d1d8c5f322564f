"""The demo meeting's posters as text: invented studies, invented people, real institutions.

Each module holds a ``LISTING`` in the format :mod:`posters.demo` reads (one block per
poster, opened by ``== <board> | <topic code>``). Every author is fictitious and every
number is made up for the demo; no block describes anyone's real work or real patients.
"""

from __future__ import annotations

from posters.demo.data import (
    chemokines_jak,
    il1_evasion,
    il6_inflammasome,
    il17_tnf,
    interferons,
    storms_therapeutics,
)

LISTINGS = (
    interferons.LISTING,
    chemokines_jak.LISTING,
    il6_inflammasome.LISTING,
    il17_tnf.LISTING,
    il1_evasion.LISTING,
    storms_therapeutics.LISTING,
)
