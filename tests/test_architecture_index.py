"""Graph facts of the architecture: boundaries, trust levels, crossings, where data is stored and carried."""

from __future__ import annotations

import pytest
from threat_factory import architecture, asset, boundary, component, flow, index

from trustdocs.analyse.architecture import OUTSIDE_TRUST_LEVEL, ArchitectureIndex

# internet (outside): user, partner
# cloud (1)
#   vpc (2): api, worker
#     data (3): db
#   tools (2): admin
#   legacy (0): old
ARCH = architecture(
    [
        component("user", "external_entity"),
        component("partner", "external_entity"),
        component("api"),
        component("worker"),
        component("admin"),
        component("old"),
        component("db", "data_store", stores=("invoices", "notes")),
        component("files", "data_store", stores=("invoices",)),
    ],
    [
        flow("user-api", "user", "api", data=("notes",)),
        flow("api-db", "api", "db", data=("invoices", "notes")),
        flow("api-worker", "api", "worker", data=()),
        flow("admin-api", "admin", "api"),
        flow("db-api", "db", "api", data=("invoices",)),
        flow("api-old", "api", "old"),
        flow("old-api", "old", "api"),
        flow("user-db", "user", "db"),
        flow("api-user", "api", "user"),
        flow("ghost-api", "ghost", "api"),
    ],
    [
        boundary(
            "cloud",
            1,
            ("files",),
            boundary("vpc", 2, ("api", "worker"), boundary("data", 3, ("db",))),
            boundary("tools", 2, ("admin",)),
        ),
        boundary("legacy", 0, ("old",)),
    ],
    [asset("invoices", "restricted", personal_data=True), asset("notes", "confidential"), asset("records")],
)
IX = index(ARCH)


def ids(items) -> list[str]:
    return [i.id for i in items]


def test_innermost_boundary_and_chain() -> None:
    assert IX.boundary_of("db").id == "data"
    assert ids(IX.enclosing_boundaries("db")) == ["data", "vpc", "cloud"]
    assert IX.boundary_of("user") is None
    assert IX.enclosing_boundaries("user") == ()
    assert IX.parent_boundary("data").id == "vpc"
    assert IX.parent_boundary("cloud") is None


def test_trust_levels() -> None:
    assert [IX.trust_level(c) for c in ("user", "files", "api", "db", "old")] == [OUTSIDE_TRUST_LEVEL, 1, 2, 3, 0]
    assert IX.is_outside("user") and not IX.is_outside("old")


@pytest.mark.parametrize(
    "flow_id,crosses,into_more_trusted,exits,entries",
    [
        ("user-api", True, True, [], ["vpc", "cloud"]),
        ("api-db", True, True, [], ["data"]),
        ("db-api", True, False, ["data"], []),
        ("api-worker", False, False, [], []),
        ("admin-api", True, False, ["tools"], ["vpc"]),  # siblings at the same level
        ("api-old", True, False, ["vpc", "cloud"], ["legacy"]),
        ("old-api", True, True, ["legacy"], ["vpc", "cloud"]),
        ("api-user", True, False, ["vpc", "cloud"], []),
        ("ghost-api", True, True, [], ["vpc", "cloud"]),  # an unknown source counts as outside
    ],
)
def test_crossings(flow_id: str, crosses: bool, into_more_trusted: bool, exits: list[str], entries: list[str]) -> None:
    f = IX.flows[flow_id]
    assert IX.crosses_boundary(f) is crosses
    assert IX.into_more_trusted(f) is into_more_trusted
    crossing = IX.crossing(f)
    assert (ids(crossing.exits), ids(crossing.entries)) == (exits, entries)


def test_outside_ranks_below_a_boundary_at_level_zero() -> None:
    arch = architecture(
        [component("user", "external_entity"), component("api")],
        [flow("f", "user", "api")],
        [boundary("zone", 0, ("api",))],
    )
    assert index(arch).into_more_trusted(arch.data_flows[0])


def test_where_data_is_stored_and_carried() -> None:
    assert ids(IX.stores_of("invoices")) == ["db", "files"]
    assert ids(IX.stores_of("records")) == []
    assert ids(IX.flows_carrying("notes")) == ["user-api", "api-db"]
    assert ids(IX.flows_carrying("invoices")) == ["api-db", "db-api"]


def test_classifications() -> None:
    assert IX.carries_classification(IX.flows["user-api"]) == "confidential"
    assert IX.carries_classification(IX.flows["api-worker"]) == "none"
    assert IX.holds_classification("db") == "restricted"
    assert IX.holds_classification("api") == "none"
    assert IX.handles_classification("api") == "restricted"
    assert IX.handles_classification("worker") == "none"
    assert IX.handled_assets("api") == ("notes", "records", "invoices")
    assert IX.has_personal_data(("notes", "invoices")) and not IX.has_personal_data(("notes", "missing"))


def test_element_lookup() -> None:
    assert IX.kind("db") == "data_store"
    assert IX.kind("api-db") == "data_flow"
    assert IX.kind("vpc") == "trust_boundary"
    assert IX.kind("nothing") is None
    assert IX.element("nothing") is None
    assert IX.name("api-db") == "Api → Db"
    assert IX.name("ghost-api") == "ghost → Api"


def test_members() -> None:
    assert ids(IX.members("cloud")) == ["files", "api", "worker", "db", "admin"]
    assert ids(IX.members("cloud", nested=False)) == ["files"]
    assert IX.members("nothing") == ()


def test_flows_by_end() -> None:
    assert ids(IX.flows_to("db")) == ["api-db", "user-db"]
    assert ids(IX.flows_from("db")) == ["db-api"]


def test_built_once_from_the_architecture() -> None:
    built = ArchitectureIndex.from_architecture(ARCH)
    assert built.architecture is ARCH
    assert list(built.components) == ["user", "partner", "api", "worker", "admin", "old", "db", "files"]
