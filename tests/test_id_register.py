"""The first place of each record id is kept packed into one integer, and given back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indigo_standard.validation.duplicates import KINDS, IdRegister, Place

positions = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=10**12),
    st.text(max_size=12),
    st.builds(
        lambda prefix, index: f"{prefix}{index}",
        st.sampled_from(["/", "/projects/", "line ", "x"]),
        st.integers(min_value=0, max_value=10**9),
    ),
    st.sampled_from(["/007", "/0", "line 00", "0", ""]),
)


@given(st.lists(st.tuples(st.integers(min_value=-1, max_value=5), positions), min_size=1, max_size=40))
def test_a_packed_place_unpacks_to_itself(places: list[Place]) -> None:
    register = IdRegister()
    packed = [register._pack(place) for place in places]
    unpacked = [register._unpack(p) for p in packed]
    assert [(n, w, type(w)) for n, w in unpacked] == [(n, w, type(w)) for n, w in places]


def test_places_of_common_kinds_take_one_integer_each() -> None:
    register = IdRegister()
    packed = [register._pack((0, f"/{i}")) for i in range(300)] + [register._pack((1, 12))]
    assert packed and all(type(p) is int for p in packed)
    assert register.kinds == [(0, "/"), (1, None)]


def test_beyond_the_numbered_kinds_a_place_is_kept_as_it_is() -> None:
    register = IdRegister()
    for number in range(KINDS):
        assert type(register._pack((number, 1))) is int
    assert register._pack((KINDS, 1)) == (KINDS, 1)
    assert register._unpack((KINDS, 1)) == (KINDS, 1)
