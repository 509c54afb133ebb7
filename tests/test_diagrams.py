"""Architecture diagrams: the plain description (nodes, clusters, edges, icons) and the rendered SVG and PNG."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import threading
import warnings
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from trustdocs.errors import BuildError
from trustdocs.model.architecture import Architecture, Component, DataFlow, TrustBoundary
from trustdocs.render import diagrams as diagrams_module
from trustdocs.render.diagram_files import png_dpi
from trustdocs.render.diagram_labels import place_labels
from trustdocs.render.diagrams import (
    PNG_DPI,
    DiagramCluster,
    DiagramEdge,
    DiagramNode,
    describe_all,
    describe_boundary,
    describe_embedded,
    describe_system,
    layout_program,
    render_diagrams,
    render_spec,
)
from trustdocs.render.icons import ICON_RULES, KIND_FALLBACK, icon_for, icon_path

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def component(cid: str, kind: str, technology: str, name: str = "") -> Component:
    return Component(
        id=cid,
        name=name or cid.title(),
        kind=kind,  # type: ignore[arg-type]
        technology=technology,
        hosting="h",
        owner="o",
    )


def flow(fid: str, source: str, destination: str, protocol: str, port: int | None, encryption: str = "tls") -> DataFlow:
    return DataFlow(
        id=fid,
        source=source,
        destination=destination,
        protocol=protocol,
        port=port,
        authentication="mtls",
        encryption=encryption,
    )  # type: ignore[arg-type]


def small_architecture() -> Architecture:
    """Twelve components: a VPC with an application and a data subnet, a corporate network, five externals."""
    return Architecture(
        components=(
            component("user", "external_entity", "Web browser", "Customer user"),
            component("okta", "external_entity", "Okta Workforce Identity (OIDC)"),
            component("staff", "external_entity", "Acme-managed laptops"),
            component("legacy", "external_entity", "Partner SFTP server"),
            component("lb", "process", "AWS Application Load Balancer with AWS WAF", "Load balancer"),
            component("api", "process", "Python 3.12, FastAPI on Amazon EKS", "Ledger API"),
            component("worker", "process", "Python 3.12 Kafka consumer (confluent-kafka)", "Worker"),
            component("db", "data_store", "Amazon RDS for PostgreSQL 16", "Ledger database"),
            component("queue", "data_store", "Apache Kafka 3.6", "Event bus"),
            component("files", "data_store", "Amazon S3 (SSE-KMS)", "Document store"),
            component("cache", "data_store", "In-house key-value store", "Cache"),
            component("admin", "process", "Internal tool", "Back office"),
        ),
        trust_boundaries=(
            TrustBoundary(
                id="vpc",
                name="Production VPC",
                trust_level=1,
                members=("lb",),
                boundaries=(
                    TrustBoundary(id="app", name="Application subnet", trust_level=2, members=("worker", "api")),
                    TrustBoundary(
                        id="data", name="Data subnet", trust_level=3, members=("queue", "db", "files", "cache")
                    ),
                ),
            ),
            TrustBoundary(id="corp", name="Corporate network", trust_level=2, members=("admin",)),
        ),
        data_flows=(
            flow("user-to-lb", "user", "lb", "HTTPS", 443),
            flow("lb-to-api", "lb", "api", "HTTP/1.1 over the mesh", 8080, "mtls"),
            flow("api-to-db", "api", "db", "PostgreSQL wire protocol", 5432),
            flow("api-to-queue", "api", "queue", "Kafka", 9092),
            flow("queue-to-worker", "queue", "worker", "Kafka", 9092),
            flow("worker-to-files", "worker", "files", "HTTPS (S3 API)", 443),
            flow("worker-to-cache", "worker", "cache", "Redis", 6379, "none"),
            flow("api-to-okta", "api", "okta", "HTTPS", 443),
            flow("staff-to-admin", "staff", "admin", "HTTPS", 443),
            flow("admin-to-api", "admin", "api", "HTTPS", 443),
            flow("legacy-to-worker", "legacy", "worker", "SFTP", None, "ssh"),
        ),
    )


def synthetic_architecture(zones: int = 3, services: int = 9, stores: int = 6, externals: int = 12) -> Architecture:
    """A 60-component model: `zones` VPCs, each a gateway, an application and a data subnet, plus externals."""
    process_tech = (
        "FastAPI",
        "Go 1.22",
        "Spring Boot",
        "Node.js 20",
        "Ruby on Rails",
        "Kotlin",
        "Celery",
        "Rust",
        "Django",
    )
    store_tech = ("PostgreSQL 16", "Redis 7", "Amazon S3", "Apache Kafka", "Elasticsearch 8", "MongoDB 7")
    components = [component(f"ext-{e:02d}", "external_entity", "Partner REST API client") for e in range(externals)]
    flows: list[DataFlow] = []
    boundaries = []

    def add_flow(
        source: str, destination: str, protocol: str = "HTTPS", port: int = 443, encryption: str = "tls"
    ) -> None:
        flows.append(flow(f"f{len(flows):03d}", source, destination, protocol, port, encryption))

    for z in range(1, zones + 1):
        gateway = f"z{z}-gateway"
        app = [f"z{z}-svc-{s}" for s in range(services)]
        data = [f"z{z}-store-{s}" for s in range(stores)]
        components.append(component(gateway, "process", "nginx 1.27"))
        components += [component(c, "process", process_tech[i % len(process_tech)]) for i, c in enumerate(app)]
        components += [component(c, "data_store", store_tech[i % len(store_tech)]) for i, c in enumerate(data)]
        boundaries.append(
            TrustBoundary(
                id=f"zone-{z}",
                name=f"Zone {z}",
                trust_level=1,
                members=(gateway,),
                boundaries=(
                    TrustBoundary(id=f"zone-{z}-app", name=f"Zone {z} app", trust_level=2, members=tuple(app)),
                    TrustBoundary(id=f"zone-{z}-data", name=f"Zone {z} data", trust_level=3, members=tuple(data)),
                ),
            )
        )
        add_flow(f"ext-{2 * z:02d}", gateway)
        add_flow(f"ext-{2 * z + 1:02d}", gateway)
        for s in range(3):
            add_flow(gateway, app[s], "HTTP/1.1", 8080)
        for s, service in enumerate(app):
            add_flow(service, data[s % stores], "PostgreSQL", 5432)
            if s + 3 < services:
                add_flow(service, app[s + 3], "gRPC", 9000)
        add_flow(app[-1], f"ext-{(2 * z + 6) % externals:02d}")
        add_flow(app[4], f"z{z % zones + 1}-svc-0", "gRPC", 9000)
        add_flow(app[5], data[-1], "HTTP", 9200, "none")
    return Architecture(components=tuple(components), data_flows=tuple(flows), trust_boundaries=tuple(boundaries))


@pytest.fixture(scope="module")
def rendered_small():
    return render_diagrams(small_architecture())


# --- Icons ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "technology", "name", "icon"),
    [
        ("data_store", "Amazon RDS for PostgreSQL 16 (Multi-AZ)", "Ledger database", "aws.database.RDS"),
        ("data_store", "PostgreSQL 16 on EC2", "Database", "onprem.database.Postgresql"),
        ("data_store", "postgres", "Database", "onprem.database.Postgresql"),
        ("data_store", "Amazon ElastiCache for Redis 7.1", "Cache", "aws.database.ElasticacheForRedis"),
        ("data_store", "Redis 7", "Cache", "onprem.inmemory.Redis"),
        ("data_store", "Amazon S3 with Object Lock fed by Amazon Data Firehose", "Audit", "aws.storage.S3"),
        ("data_store", "Amazon MSK (Apache Kafka 3.6)", "Event bus", "aws.analytics.ManagedStreamingForKafka"),
        ("data_store", "Apache Kafka 3.6", "Event bus", "onprem.queue.Kafka"),
        (
            "data_store",
            "Elasticsearch 8.13 (Elastic Cloud on Kubernetes)",
            "Search",
            "elastic.elasticsearch.Elasticsearch",
        ),
        ("data_store", "AWS Secrets Manager with AWS KMS", "Secrets", "aws.security.SecretsManager"),
        ("process", "nginx (ingress-nginx 1.12 on Amazon EKS 1.30)", "Ingress", "onprem.network.Nginx"),
        ("process", "AWS Application Load Balancer with AWS WAF", "LB", "aws.network.ElbApplicationLoadBalancer"),
        ("process", "Python 3.12, FastAPI, SQLAlchemy 2 on Amazon EKS", "API", "programming.framework.Fastapi"),
        ("process", "React 18 single-page app served by a Node.js 20 backend", "Web", "programming.framework.React"),
        ("process", "Go 1.22 service on Amazon EKS", "Bank feeds", "programming.language.Go"),
        ("process", "Django 5 admin application", "Back office", "programming.framework.Django"),
        ("process", "Java 21 on Kubernetes", "Billing", "programming.language.Java"),
        ("process", "Runs on Kubernetes", "Scheduler", "k8s.compute.Pod"),
        # A process that uses Kafka or Google is not drawn as Kafka, nor as Go.
        ("process", "Python 3.12 Kafka consumer (confluent-kafka)", "Worker", "programming.language.Python"),
        ("process", "Google Cloud Run", "Renderer", "generic.compute.Rack"),
        ("external_entity", "Web browser (Chrome, Edge, Firefox, Safari)", "Customer", "onprem.client.Users"),
        ("external_entity", "Acme-managed laptops (macOS)", "Support staff", "onprem.client.Users"),
        ("external_entity", "Okta Workforce Identity (OIDC, SAML 2.0)", "IdP", "saas.identity.Okta"),
        ("external_entity", "Stripe Payments, Stripe Connect", "Payments", "saas.payment.Stripe"),
        ("external_entity", "Datadog (EU1 site) logs and APM", "Monitoring", "saas.logging.Datadog"),
        ("external_entity", "SendGrid v3 Mail Send API", "Email", "saas.communication.Twilio"),
        ("external_entity", "PSD2 / Open Banking APIs, EBICS 3.0", "Banks", "generic.place.Datacenter"),
        ("external_entity", "REST/JSON API client", "Customer ERP integration", "onprem.client.Client"),
        # Technology first, then name, then the kind.
        ("external_entity", "Proprietary", "Customer finance users", "onprem.client.Users"),
        ("external_entity", "Proprietary", "Partner system", "onprem.client.Client"),
        ("process", "Proprietary", "Stripe webhook relay", "saas.payment.Stripe"),
        ("process", "Proprietary", "Relay", "generic.compute.Rack"),
        ("data_store", "Proprietary", "Archive", "generic.storage.Storage"),
    ],
)
def test_icon_from_technology_then_name_then_kind(kind, technology, name, icon):
    assert icon_for(component("c", kind, technology, name)) == icon


def test_every_icon_key_names_a_diagrams_icon_file():
    keys = {rule.key for rule in ICON_RULES} | set(KIND_FALLBACK.values())
    assert [key for key in sorted(keys) if not icon_path(key).is_file()] == []


# --- Description ----------------------------------------------------------------------------------------------


def test_system_description_has_every_component_sorted_with_its_icon_and_cluster_path():
    spec = describe_system(small_architecture())
    assert (spec.name, spec.title) == ("system", "Data-flow diagram of the whole system")
    assert spec.nodes == (
        DiagramNode("admin", "Back office", "process", "generic.compute.Rack", ("corp",)),
        DiagramNode("api", "Ledger API", "process", "programming.framework.Fastapi", ("vpc", "app")),
        DiagramNode("cache", "Cache", "data_store", "generic.storage.Storage", ("vpc", "data")),
        DiagramNode("db", "Ledger database", "data_store", "aws.database.RDS", ("vpc", "data")),
        DiagramNode("files", "Document store", "data_store", "aws.storage.S3", ("vpc", "data")),
        DiagramNode("lb", "Load balancer", "process", "aws.network.ElbApplicationLoadBalancer", ("vpc",)),
        DiagramNode("legacy", "Legacy", "external_entity", "onprem.client.Client", ()),
        DiagramNode("okta", "Okta", "external_entity", "saas.identity.Okta", ()),
        DiagramNode("queue", "Event bus", "data_store", "onprem.queue.Kafka", ("vpc", "data")),
        DiagramNode("staff", "Staff", "external_entity", "onprem.client.Users", ()),
        DiagramNode("user", "Customer user", "external_entity", "onprem.client.Users", ()),
        DiagramNode("worker", "Worker", "process", "programming.language.Python", ("vpc", "app")),
    )


def test_system_description_nests_boundaries_as_clusters_sorted_by_id():
    spec = describe_system(small_architecture())
    assert spec.clusters == (
        DiagramCluster("corp", "Corporate network", 2, ("admin",)),
        DiagramCluster(
            "vpc",
            "Production VPC",
            1,
            ("lb",),
            clusters=(
                DiagramCluster("app", "Application subnet", 2, ("api", "worker")),
                DiagramCluster("data", "Data subnet", 3, ("cache", "db", "files", "queue")),
            ),
        ),
    )


def test_system_description_labels_flows_with_protocol_and_port_and_marks_unencrypted():
    edges = {edge.id: edge for edge in describe_system(small_architecture()).edges}
    assert list(edges) == sorted(edges)
    assert edges["lb-to-api"] == DiagramEdge(
        "lb-to-api", "lb", "api", "HTTP/1.1 over the mesh :8080", True, ("lb-to-api",)
    )
    assert edges["legacy-to-worker"] == DiagramEdge(
        "legacy-to-worker", "legacy", "worker", "SFTP", True, ("legacy-to-worker",)
    )
    assert [edge.id for edge in edges.values() if not edge.encrypted] == ["worker-to-cache"]
    assert edges["worker-to-cache"].label == "Redis :6379\nunencrypted"


def test_parallel_flows_are_one_arrow_whose_label_lists_them():
    arch = small_architecture()
    arch = Architecture(
        components=arch.components,
        trust_boundaries=arch.trust_boundaries,
        data_flows=(
            *arch.data_flows,
            flow("api-to-db-replica", "api", "db", "PostgreSQL wire protocol", 5432),
            flow("api-to-db-admin", "api", "db", "PostgreSQL wire protocol", 5433, "none"),
            flow("worker-to-cache-2", "worker", "cache", "Redis", 6379, "none"),
        ),
    )
    edges = {edge.id: edge for edge in describe_system(arch).edges}
    assert edges["api>db"] == DiagramEdge(
        "api>db",
        "api",
        "db",
        "PostgreSQL wire protocol :5432 ×2\nPostgreSQL wire protocol :5433 (unencrypted)",
        False,
        ("api-to-db", "api-to-db-admin", "api-to-db-replica"),
    )
    assert edges["worker>cache"] == DiagramEdge(
        "worker>cache",
        "worker",
        "cache",
        "Redis :6379 ×2\nunencrypted",
        False,
        ("worker-to-cache", "worker-to-cache-2"),
    )
    # Opposite directions stay two arrows; no flow is drawn twice.
    assert sorted(f for edge in edges.values() for f in edge.flows) == sorted(f.id for f in arch.data_flows)
    svg = render_spec(describe_system(arch)).svg
    root = ElementTree.fromstring(svg)
    arrows = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert arrows.count("api->db") == 1 and len(arrows) == len(edges)


def test_boundary_description_adds_outside_neighbours_and_their_boundaries_as_context():
    spec = describe_boundary(small_architecture(), "vpc")
    assert (spec.name, spec.title) == ("boundary-vpc", "Trust boundary: Production VPC")
    assert {node.id for node in spec.nodes if not node.neighbour} == {
        "lb",
        "api",
        "worker",
        "db",
        "queue",
        "files",
        "cache",
    }
    assert {node.id for node in spec.nodes if node.neighbour} == {"user", "okta", "legacy", "admin"}
    assert spec.clusters == (
        DiagramCluster("corp", "Corporate network", 2, ("admin",), context=True),
        DiagramCluster(
            "vpc",
            "Production VPC",
            1,
            ("lb",),
            clusters=(
                DiagramCluster("app", "Application subnet", 2, ("api", "worker")),
                DiagramCluster("data", "Data subnet", 3, ("cache", "db", "files", "queue")),
            ),
        ),
    )
    # A flow between two components outside the boundary is not part of its diagram.
    assert "staff-to-admin" not in {edge.id for edge in spec.edges}
    assert len(spec.edges) == 10


def test_boundary_description_of_a_small_boundary_places_its_neighbour_in_the_neighbours_subnet():
    spec = describe_boundary(small_architecture(), "corp")
    assert [(node.id, node.neighbour, node.cluster) for node in spec.nodes] == [
        ("admin", False, ("corp",)),
        ("api", True, ("vpc", "app")),
        ("staff", True, ()),
    ]
    assert spec.clusters == (
        DiagramCluster("corp", "Corporate network", 2, ("admin",)),
        DiagramCluster(
            "vpc",
            "Production VPC",
            1,
            (),
            clusters=(DiagramCluster("app", "Application subnet", 2, ("api",), context=True),),
            context=True,
        ),
    )
    assert [edge.id for edge in spec.edges] == ["admin-to-api", "staff-to-admin"]


def test_describe_all_is_the_overview_the_system_then_each_boundary_with_detail_of_its_own_depth_first():
    # The VPC diagram would show 11 of the 12 components, the system's picture again: its subnets are drawn.
    # The corporate network holds one component, all of it on the system diagram.
    assert [spec.name for spec in describe_all(small_architecture())] == [
        "overview",
        "system",
        "boundary-app",
        "boundary-data",
    ]


def test_the_overview_counts_each_boundarys_components_and_names_a_single_one():
    spec = describe_all(small_architecture())[0]
    assert [(node.id, node.label, node.icon) for node in spec.nodes] == [
        ("group-app", "2 processes", "generic.compute.Rack"),
        ("group-corp", "Back office", "generic.compute.Rack"),
        ("group-data", "4 data stores", "generic.storage.Storage"),
        ("group-outside", "4 external entities", "onprem.client.Client"),
        ("group-vpc", "Load balancer", "aws.network.ElbApplicationLoadBalancer"),
    ]
    assert [(edge.id, edge.label) for edge in spec.edges] == [
        ("group-app>group-data", "4 flows\n1 unencrypted"),
        ("group-app>group-outside", "1 flow"),
        ("group-corp>group-app", "1 flow"),
        ("group-data>group-app", "1 flow"),
        ("group-outside>group-app", "1 flow"),
        ("group-outside>group-corp", "1 flow"),
        ("group-outside>group-vpc", "1 flow"),
        ("group-vpc>group-app", "1 flow"),
    ]
    texts = [t.text for t in ElementTree.fromstring(render_spec(spec).svg).iter(f"{SVG}text")]
    assert "encrypted data flows (counted)" in texts and "encrypted data flow (protocol :port)" not in texts


def test_a_nested_perimeter_gets_its_own_diagram():
    arch = small_architecture()
    vpc, corp = arch.trust_boundaries
    phi = TrustBoundary(id="phi", name="PHI perimeter", trust_level=4, members=("db", "files"))
    data = TrustBoundary(id="data", name="Data subnet", trust_level=3, members=("queue", "cache"), boundaries=(phi,))
    vpc = TrustBoundary(
        id=vpc.id, name=vpc.name, trust_level=1, members=vpc.members, boundaries=(vpc.boundaries[0], data)
    )
    arch = Architecture(components=arch.components, data_flows=arch.data_flows, trust_boundaries=(vpc, corp))
    specs = describe_all(arch)
    assert [spec.name for spec in specs] == ["overview", "system", "boundary-app", "boundary-data", "boundary-phi"]
    phi_spec = specs[-1]
    assert [(n.id, n.neighbour) for n in phi_spec.nodes] == [
        ("api", True),
        ("db", False),
        ("files", False),
        ("worker", True),
    ]
    assert [edge.id for edge in phi_spec.edges] == ["api-to-db", "worker-to-files"]


def test_unknown_boundary_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError) as error:
        describe_boundary(small_architecture(), "dmz")
    assert str(error.value) == "no trust boundary 'dmz' (known: app, corp, data, vpc)"


def test_sixty_components_split_into_boundary_diagrams_of_about_twenty_nodes():
    arch = synthetic_architecture()
    assert len(arch.components) == 60
    specs = describe_all(arch)
    counts = {spec.name: (len(spec.nodes), sum(not n.neighbour for n in spec.nodes), len(spec.edges)) for spec in specs}
    # 16 members, two callers, one third party and the services of the zones either side; each subnet on its
    # own. Two flows from a service to its zone's last store are one arrow.
    assert counts == {
        "overview": (10, 10, 15),
        "system": (60, 60, 66),
        **{f"boundary-zone-{z}": (21, 16, 23) for z in (1, 2, 3)},
        **{f"boundary-zone-{z}-app": (19, 9, 21) for z in (1, 2, 3)},
        **{f"boundary-zone-{z}-data": (15, 6, 9) for z in (1, 2, 3)},
    }


# --- Rendering ------------------------------------------------------------------------------------------------


def test_render_gives_one_svg_and_png_per_diagram(rendered_small):
    assert [(d.name, d.title, sorted(d.files())) for d in rendered_small] == [
        ("overview", "Overview of the whole system", ["overview.png", "overview.svg"]),
        ("system", "Data-flow diagram of the whole system", ["system.png", "system.svg"]),
        ("boundary-app", "Trust boundary: Application subnet", ["boundary-app.png", "boundary-app.svg"]),
        ("boundary-data", "Trust boundary: Data subnet", ["boundary-data.png", "boundary-data.svg"]),
    ]


def test_svg_is_self_contained_with_icons_as_data_uris(rendered_small):
    for diagram in rendered_small:
        root = ElementTree.fromstring(diagram.svg)
        hrefs = [element.get(XLINK_HREF) for element in root.iter() if element.get(XLINK_HREF) is not None]
        assert hrefs, diagram.name
        assert [href for href in hrefs if not href.startswith("data:image/png;base64,")] == []
        text = diagram.svg.decode()
        assert "<!--" not in text
        assert "site-packages" not in text and str(Path.cwd()) not in text
        assert re.search(r'(href|src)="(/|file:|https?:)', text) is None


def test_svg_shows_labels_boundaries_and_the_unencrypted_flow_in_red_dashes(rendered_small):
    root = ElementTree.fromstring(rendered_small[1].svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for expected in ("Ledger API", "Production VPC", "trust level 3", "PostgreSQL wire", "unencrypted", "Legend"):
        assert any(expected in (text or "") for text in texts), expected
    edges = {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"}
    unencrypted = edges["worker->cache"].find(f"{SVG}path")
    encrypted = edges["api->db"].find(f"{SVG}path")
    assert (unencrypted.get("stroke"), unencrypted.get("stroke-dasharray") is not None) == ("#c62828", True)
    assert (encrypted.get("stroke"), encrypted.get("stroke-dasharray")) == ("#455a64", None)
    unencrypted_label = [t.text for t in edges["worker->cache"].iter(f"{SVG}text")]
    assert unencrypted_label == ["Redis :6379", "unencrypted"]


def test_png_states_its_resolution_and_matches_the_svg_size(rendered_small):
    diagram = rendered_small[0]
    assert tuple(round(v) for v in png_dpi(diagram.png)) == (PNG_DPI, PNG_DPI)
    root = ElementTree.fromstring(diagram.svg)
    width_pt = float(root.get("width").removesuffix("pt"))
    with Image.open(io.BytesIO(diagram.png)) as image:
        assert abs(image.width - width_pt * PNG_DPI / 72) <= 2


def test_rendering_twice_is_byte_identical_even_from_another_thread(rendered_small):
    arch = small_architecture()
    again = render_diagrams(arch)
    from_thread = []
    worker = threading.Thread(target=lambda: from_thread.extend(render_diagrams(arch)))
    worker.start()
    worker.join()
    for first, second, third in zip(rendered_small, again, from_thread, strict=True):
        assert (first.svg, first.png) == (second.svg, second.png) == (third.svg, third.png), first.name


def test_render_writes_the_files_into_the_output_folder(tmp_path):
    out = tmp_path / "diagrams"
    rendered = render_diagrams(small_architecture(), out)
    assert sorted(p.name for p in out.iterdir()) == [
        "boundary-app.png",
        "boundary-app.svg",
        "boundary-data.png",
        "boundary-data.svg",
        "overview.png",
        "overview.svg",
        "system.png",
        "system.svg",
    ]
    assert (out / "system.svg").read_bytes() == rendered[1].svg


def test_names_from_the_input_are_drawn_literally():
    arch = small_architecture()
    odd = Component(id="api", name='<b>"A"</b> & \\N', kind="process", technology="FastAPI", hosting="h", owner="o")
    arch = Architecture(
        components=tuple(odd if c.id == "api" else c for c in arch.components),
        data_flows=(*arch.data_flows, flow("odd", "admin", "api", "<i>\\G</i>", None)),
        trust_boundaries=arch.trust_boundaries,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        diagram = render_spec(describe_boundary(arch, "corp"))
    texts = [t.text for t in ElementTree.fromstring(diagram.svg).iter(f"{SVG}text")]
    assert '<b>"A"</b> & \\N' in texts
    assert "<i>\\G</i>" in texts


def test_sixty_component_boundary_diagram_renders_at_a_legible_size():
    spec = describe_boundary(synthetic_architecture(), "zone-1")
    root = ElementTree.fromstring(render_spec(spec).svg)
    width_in = float(root.get("width").removesuffix("pt")) / 72
    height_in = float(root.get("height").removesuffix("pt")) / 72
    # Fitted to a landscape A4 page (about 10.7 x 7.3 in of text area) the 14 pt labels stay above 7 pt.
    assert min(10.7 / width_in, 7.3 / height_in) * 14 >= 7


def test_missing_graphviz_is_a_build_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BuildError) as error:
        render_spec(describe_system(small_architecture()))
    assert error.value.message == "cannot draw diagrams: Graphviz is not installed (the 'dot' program was not found)"


def test_a_huge_diagram_gets_a_lower_resolution_png_and_a_note(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="trustdocs.render.diagrams")
    monkeypatch.setattr("trustdocs.render.diagrams.PNG_PIXEL_LIMIT", 500_000)
    spec = describe_boundary(small_architecture(), "corp")
    diagram = render_spec(spec)
    width_pt, height_pt = (
        float(v) for v in re.search(rb'width="([0-9.]+)pt" height="([0-9.]+)pt"', diagram.svg).groups()
    )
    dpi = int((500_000 / (width_pt / 72 * height_pt / 72)) ** 0.5)
    assert tuple(round(v) for v in png_dpi(diagram.png)) == (dpi, dpi)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "INFO",
            f"diagram 'boundary-corp' is {width_pt / 72:.0f} x {height_pt / 72:.0f} in; its PNG is drawn at {dpi} dpi "
            "instead of 150 to stay under 500,000 pixels (the SVG has full detail)",
        )
    ]


# --- Large systems --------------------------------------------------------------------------------------------


def _wrapped_in_one_cloud(arch: Architecture) -> Architecture:
    cloud = TrustBoundary(id="cloud", name="Cloud account", trust_level=0, boundaries=arch.trust_boundaries)
    return Architecture(components=arch.components, data_flows=arch.data_flows, trust_boundaries=(cloud,))


def test_a_boundary_around_everything_is_drawn_as_the_boundaries_it_nests():
    # The cloud boundary and its neighbours are the whole system: its diagram would repeat the system one.
    specs = describe_all(_wrapped_in_one_cloud(small_architecture()))
    assert [spec.name for spec in specs] == ["overview", "system", "boundary-app", "boundary-data"]


def test_a_system_past_the_limit_is_drawn_as_its_overview(monkeypatch, caplog):
    monkeypatch.setattr(diagrams_module, "SYSTEM_DIAGRAM_LIMIT", 10)
    arch = small_architecture()
    assert [spec.name for spec in describe_all(arch)] == ["overview", "boundary-app", "boundary-data"]
    assert [spec.name for spec in describe_embedded(arch)] == ["overview", "boundary-app", "boundary-data"]
    # The drawings are cached per architecture: this one must be drawn under the lowered limit, and forgotten.
    diagrams_module._render_all.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="trustdocs.render.diagrams"):
            rendered = render_diagrams(arch)
    finally:
        diagrams_module._render_all.cache_clear()
    assert sorted(rendered[0].files()) == ["overview.png", "overview.svg"]
    assert caplog.messages == [
        "the system has 12 components, more than the 10 a whole-system diagram draws: diagrams/overview.svg shows "
        "its trust boundaries with their components counted instead, and the boundary diagrams show the components"
    ]


def test_dense_diagrams_are_packed_in_a_grid_rather_than_ranked(monkeypatch):
    spec = describe_system(small_architecture())
    assert layout_program(spec) == "dot"
    monkeypatch.setattr(diagrams_module, "DENSE_EDGES_LIMIT", len(spec.edges) - 1)
    assert layout_program(spec) == "osage"
    svg = render_spec(spec).svg
    # Still every component and boundary, laid out by osage.
    assert all(f">{label}<" in svg.decode() for label in ("Ledger API", "Production VPC"))


def test_a_diagram_dot_cannot_rank_is_drawn_again_with_every_edge_ranked(tmp_path, caplog):
    from benchmarks.generate import generate_project
    from trustdocs.project import load_project

    # In the generated 50-component project, dot fails on this boundary ("trouble in init_rank") while reads
    # from data stores are left out of the ranking.
    arch = load_project(generate_project(50, tmp_path / "p50")).project.architecture
    spec = next(spec for spec in describe_all(arch) if spec.name == "boundary-vpc-002")
    with pytest.raises(BuildError, match="trouble in init_rank"):
        diagrams_module._graphviz(["dot", "-Tdot"], diagrams_module._draw(spec)[0].source.encode(), spec)
    with caplog.at_level("DEBUG", logger="trustdocs.render.diagrams"):
        svg = render_spec(spec).svg.decode()
    assert "diagram boundary-vpc-002: dot could not rank it; drawing it again with every edge ranked" in caplog.messages
    assert all(f">{node.label}<" in svg for node in spec.nodes if "\n" not in node.label and len(node.label) < 18)


# --- Labels ---------------------------------------------------------------------------------------------------


def _sample_architecture() -> Architecture:
    from trustdocs.project import load_project

    return load_project(Path(__file__).resolve().parent.parent / "sample_inputs" / "acme").project.architecture


@pytest.mark.parametrize(
    "make",
    [small_architecture, synthetic_architecture, _sample_architecture],
    ids=["small", "sixty-components", "sample"],
)
def test_labels_clear_boundary_lines_nodes_legend_and_each_other(make):
    # Measured on the positions each diagram is drawn from, with Graphviz's own text widths. Drawn afresh: the
    # cache may hold a drawing made while another test changed the layout program.
    for spec in describe_all(make()):
        layout, _ = diagrams_module._layout_and_svg(spec)
        assert diagrams_module.geometry(layout, spec).problems() == [], spec.name


def _label_layout(lp: str) -> bytes:
    source = (
        'digraph { rankdir=LR; subgraph cluster_zone { label="Zone"; b; c; } '
        f'a -> b [label="HTTPS :443", lp="{lp}"]; b -> c [label="gRPC"]; }}'
    )
    laid_out = subprocess.run(["dot", "-Tdot"], input=source.encode(), capture_output=True, check=True).stdout
    # In the frame it is drawn in, as render_spec does before placing labels.
    return subprocess.run(["neato", "-n2", "-Tdot"], input=laid_out, capture_output=True, check=True).stdout


def test_a_label_on_a_boundary_line_is_found_and_moved_along_its_arrow():
    spec = describe_system(small_architecture())
    laid_out = _label_layout("0,0")
    # dot places the label itself; write it onto the boundary's left line, then measure.
    geometry = diagrams_module.geometry(laid_out, spec)
    zone = geometry.clusters["cluster_zone"]
    label = next(label for label in geometry.labels if label.edge == "a->b")
    on_line = laid_out.replace(f'lp="{label.lp}"'.encode(), f'lp="{zone[0]:g},{(zone[1] + zone[3]) / 2:g}"'.encode())
    moved = diagrams_module.geometry(on_line, spec)
    assert "a->b: boundary line cluster_zone" in moved.problems()
    placed = diagrams_module.geometry(place_labels(on_line, moved), spec)
    assert placed.problems() == []
    box = next(label.box for label in placed.labels if label.edge == "a->b")
    # Still beside its own arrow: the box is within a few points of a point on the arrow.
    path = next(label.path for label in placed.labels if label.edge == "a->b")
    assert min(max(box[0] - x, x - box[2], box[1] - y, y - box[3], 0) for x, y in path) <= 4


def test_a_boundary_diagram_states_where_its_processes_and_stores_run():
    specs = {spec.name: spec for spec in describe_all(_sample_architecture())}
    assert specs["boundary-data-subnet"].hosting == (
        "AWS eu-west-1, separate logging account",
        "AWS eu-west-1, data subnets",
        "AWS eu-west-1, reached only through a VPC gateway endpoint",
        "AWS eu-west-1 (replicated to eu-central-1)",
    )
    # The whole-system diagram's caption gives the hosting section's provider and regions instead.
    assert specs["system"].hosting == ()


def test_a_crowded_boundary_diagram_draws_groups_for_other_boundaries_and_its_nested_diagrammed_one(tmp_path):
    from benchmarks.generate import generate_project
    from trustdocs.project import load_project

    arch = load_project(generate_project(60, tmp_path / "p60")).project.architecture
    specs = {spec.name: spec for spec in describe_all(arch)}
    vpc = specs["boundary-vpc-000"]
    groups = {node.id: (node.label, node.neighbour) for node in vpc.nodes if node.id.startswith("group-")}
    # Its data subnet has its own diagram (boundary-data-000): here it is one node, inside the focus.
    assert groups["group-data-000"] == ("6 data stores", False)
    assert "boundary-data-000" in specs
    assert all(node.neighbour for node in vpc.nodes if node.id.startswith("group-") and node.id != "group-data-000")
    assert not any(node.cluster[-1:] == ("data-000",) and not node.id.startswith("group-") for node in vpc.nodes)
    # Every flow still drawn once, except those inside one group.
    drawn = [flow for edge in vpc.edges for flow in edge.flows]
    assert len(drawn) == len(set(drawn)) and all(edge.source != edge.destination for edge in vpc.edges)
    assert len(vpc.nodes) <= 30
