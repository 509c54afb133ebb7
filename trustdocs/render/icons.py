"""Which `diagrams` icon stands for a component: keyword rules over its technology, then its name, then its kind.

An icon key is the dotted path of a `diagrams` node class below the `diagrams` package, e.g.
`onprem.database.Postgresql`; `icon_class(key)` imports it. Keys are plain strings so that a diagram's
description (and the tests that read it) never touch Graphviz or the icon files.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import diagrams
from diagrams import Node

from trustdocs.model.architecture import Component, ComponentKind

ANY_KIND: frozenset[str] = frozenset({"external_entity", "process", "data_store"})
# A component that *uses* Kafka or PostgreSQL is a process, not the broker or the database: product rules for
# things that hold data apply only to data stores (and to external services, which may be either).
HOLDS_DATA: frozenset[str] = frozenset({"external_entity", "data_store"})
RUNS_CODE: frozenset[str] = frozenset({"external_entity", "process"})
EXTERNAL: frozenset[str] = frozenset({"external_entity"})

KIND_FALLBACK: dict[str, str] = {
    "external_entity": "onprem.client.Client",
    "process": "generic.compute.Rack",
    "data_store": "generic.storage.Storage",
}
"""The icon of a component whose technology and name match no rule."""

KIND_LABELS: dict[str, str] = {
    "external_entity": "external entity",
    "process": "process",
    "data_store": "data store",
}


@dataclass(frozen=True)
class IconRule:
    """Components whose text contains one of `keywords` (whole words, any case) get icon `key`."""

    keywords: tuple[str, ...]
    key: str
    kinds: frozenset[str] = ANY_KIND

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.keywords)


@cache
def _compile(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # Keywords are regular expressions so that "postgres(?:ql)?" covers both spellings; \b keeps "go"
    # from matching "Google" or "Django".
    return re.compile(r"(?<!\w)(?:" + "|".join(keywords) + r")(?!\w)", re.IGNORECASE)


# Order is priority: the first rule that matches wins. Managed cloud services come before the open-source
# product they wrap ("Amazon RDS for PostgreSQL" is RDS), products before the language or framework they are
# written in, and those before the platform they run on ("FastAPI on Amazon EKS" is FastAPI).
ICON_RULES: tuple[IconRule, ...] = (
    # Managed cloud data services.
    IconRule(("aurora",), "aws.database.Aurora", HOLDS_DATA),
    IconRule(("rds", "amazon relational database service"), "aws.database.RDS", HOLDS_DATA),
    IconRule(("dynamodb",), "aws.database.Dynamodb", HOLDS_DATA),
    IconRule(("elasticache",), "aws.database.ElasticacheForRedis", HOLDS_DATA),
    IconRule(("msk", "managed streaming for (?:apache )?kafka"), "aws.analytics.ManagedStreamingForKafka", HOLDS_DATA),
    IconRule(("s3", "simple storage service"), "aws.storage.S3", HOLDS_DATA),
    IconRule(("glacier",), "aws.storage.S3Glacier", HOLDS_DATA),
    IconRule(("efs",), "aws.storage.ElasticFileSystemEFS", HOLDS_DATA),
    IconRule(("sqs",), "aws.integration.SimpleQueueServiceSqs", HOLDS_DATA),
    IconRule(("sns",), "aws.integration.SimpleNotificationServiceSns", HOLDS_DATA),
    IconRule(("kinesis", "firehose"), "aws.analytics.KinesisDataFirehose", HOLDS_DATA),
    IconRule(("redshift",), "aws.database.Redshift", HOLDS_DATA),
    IconRule(("opensearch service", "amazon opensearch"), "aws.analytics.AmazonOpensearchService", HOLDS_DATA),
    IconRule(("secrets manager",), "aws.security.SecretsManager", HOLDS_DATA),
    IconRule(("kms", "key management service"), "aws.security.KeyManagementService", HOLDS_DATA),
    IconRule(("cloud sql",), "gcp.database.SQL", HOLDS_DATA),
    IconRule(("cloud storage", "gcs"), "gcp.storage.GCS", HOLDS_DATA),
    IconRule(("bigquery",), "gcp.analytics.Bigquery", HOLDS_DATA),
    IconRule(("cosmos ?db",), "azure.database.CosmosDb", HOLDS_DATA),
    IconRule(("blob storage",), "azure.storage.BlobStorage", HOLDS_DATA),
    # Managed cloud network and compute services.
    IconRule(("application load balancer", "alb"), "aws.network.ElbApplicationLoadBalancer"),
    IconRule(("network load balancer", "nlb"), "aws.network.ElbNetworkLoadBalancer"),
    IconRule(("elastic load balanc\\w*", "elb"), "aws.network.ElasticLoadBalancing"),
    IconRule(("cloudfront",), "aws.network.CloudFront"),
    IconRule(("api gateway",), "aws.network.APIGateway"),
    IconRule(("lambda",), "aws.compute.Lambda", RUNS_CODE),
    IconRule(("cognito",), "aws.security.Cognito"),
    IconRule(("ses", "simple email service"), "aws.engagement.SimpleEmailServiceSes"),
    # Databases, caches, queues and search engines.
    IconRule(("postgres(?:ql)?",), "onprem.database.Postgresql", HOLDS_DATA),
    IconRule(("mysql",), "onprem.database.Mysql", HOLDS_DATA),
    IconRule(("mariadb",), "onprem.database.Mariadb", HOLDS_DATA),
    IconRule(("mongo(?:db)?",), "onprem.database.Mongodb", HOLDS_DATA),
    IconRule(("sql server", "mssql"), "onprem.database.Mssql", HOLDS_DATA),
    IconRule(("oracle database", "oracle db"), "onprem.database.Oracle", HOLDS_DATA),
    IconRule(("cassandra",), "onprem.database.Cassandra", HOLDS_DATA),
    IconRule(("clickhouse",), "onprem.database.Clickhouse", HOLDS_DATA),
    IconRule(("redis",), "onprem.inmemory.Redis", HOLDS_DATA),
    IconRule(("memcached",), "onprem.inmemory.Memcached", HOLDS_DATA),
    IconRule(("kafka",), "onprem.queue.Kafka", HOLDS_DATA),
    IconRule(("rabbitmq",), "onprem.queue.Rabbitmq", HOLDS_DATA),
    IconRule(("nats",), "onprem.queue.Nats", HOLDS_DATA),
    IconRule(("elasticsearch", "elastic cloud", "opensearch"), "elastic.elasticsearch.Elasticsearch", HOLDS_DATA),
    IconRule(("solr",), "onprem.search.Solr", HOLDS_DATA),
    IconRule(("snowflake",), "saas.analytics.Snowflake", HOLDS_DATA),
    IconRule(("vault",), "onprem.security.Vault", HOLDS_DATA),
    IconRule(("ceph",), "onprem.storage.Ceph", HOLDS_DATA),
    # Proxies and meshes.
    IconRule(("nginx", "ingress-nginx"), "onprem.network.Nginx"),
    IconRule(("haproxy",), "onprem.network.Haproxy"),
    IconRule(("envoy",), "onprem.network.Envoy"),
    IconRule(("traefik",), "onprem.network.Traefik"),
    IconRule(("kong",), "onprem.network.Kong"),
    IconRule(("istio",), "onprem.network.Istio"),
    IconRule(("cloudflare",), "saas.cdn.Cloudflare"),
    IconRule(("fastly",), "saas.cdn.Fastly"),
    IconRule(("akamai",), "saas.cdn.Akamai"),
    # Software-as-a-service the product relies on.
    IconRule(("okta",), "saas.identity.Okta"),
    IconRule(("auth0",), "saas.identity.Auth0"),
    IconRule(("stripe",), "saas.payment.Stripe"),
    IconRule(("adyen",), "saas.payment.Adyen"),
    IconRule(("paypal",), "saas.payment.Paypal"),
    IconRule(("datadog",), "saas.logging.Datadog"),
    IconRule(("new ?relic",), "saas.logging.Newrelic"),
    IconRule(("papertrail",), "saas.logging.Papertrail"),
    IconRule(("sentry",), "onprem.monitoring.Sentry"),
    IconRule(("splunk",), "onprem.monitoring.Splunk"),
    IconRule(("grafana",), "onprem.monitoring.Grafana"),
    IconRule(("prometheus",), "onprem.monitoring.Prometheus"),
    IconRule(("pagerduty",), "saas.alerting.Pagerduty"),
    IconRule(("opsgenie",), "saas.alerting.Opsgenie"),
    IconRule(("sendgrid", "twilio"), "saas.communication.Twilio"),
    IconRule(("slack",), "saas.chat.Slack"),
    IconRule(("zendesk",), "saas.crm.Zendesk"),
    IconRule(("intercom",), "saas.crm.Intercom"),
    IconRule(("crowdstrike",), "saas.security.Crowdstrike"),
    # Frameworks and languages of the product's own processes.
    IconRule(("django",), "programming.framework.Django", RUNS_CODE),
    IconRule(("fastapi",), "programming.framework.Fastapi", RUNS_CODE),
    IconRule(("flask",), "programming.framework.Flask", RUNS_CODE),
    IconRule(("rails", "ruby on rails"), "programming.framework.Rails", RUNS_CODE),
    IconRule(("spring(?: boot)?",), "programming.framework.Spring", RUNS_CODE),
    IconRule(("next\\.js", "nextjs"), "programming.framework.Nextjs", RUNS_CODE),
    IconRule(("react",), "programming.framework.React", RUNS_CODE),
    IconRule(("angular",), "programming.framework.Angular", RUNS_CODE),
    IconRule(("vue(?:\\.js)?",), "programming.framework.Vue", RUNS_CODE),
    IconRule(("\\.net", "dotnet", "asp\\.net"), "programming.framework.Dotnet", RUNS_CODE),
    IconRule(("celery",), "onprem.queue.Celery", RUNS_CODE),
    IconRule(("node\\.js", "nodejs"), "programming.language.Nodejs", RUNS_CODE),
    IconRule(("typescript",), "programming.language.Typescript", RUNS_CODE),
    IconRule(("python",), "programming.language.Python", RUNS_CODE),
    IconRule(("go", "golang"), "programming.language.Go", RUNS_CODE),
    IconRule(("java",), "programming.language.Java", RUNS_CODE),
    IconRule(("kotlin",), "programming.language.Kotlin", RUNS_CODE),
    IconRule(("ruby",), "programming.language.Ruby", RUNS_CODE),
    IconRule(("php",), "programming.language.Php", RUNS_CODE),
    IconRule(("rust",), "programming.language.Rust", RUNS_CODE),
    IconRule(("c#", "csharp"), "programming.language.Csharp", RUNS_CODE),
    # Platforms the processes run on.
    IconRule(("eks", "elastic kubernetes service"), "aws.compute.ElasticKubernetesService", RUNS_CODE),
    IconRule(("kubernetes", "k8s", "gke", "aks"), "k8s.compute.Pod", RUNS_CODE),
    IconRule(("ecs", "elastic container service", "fargate"), "aws.compute.ElasticContainerService", RUNS_CODE),
    IconRule(("ec2",), "aws.compute.EC2", RUNS_CODE),
    IconRule(("docker", "container"), "onprem.container.Docker", RUNS_CODE),
    # People and their devices, other organisations, machine clients.
    IconRule(
        (
            "browsers?",
            "users?",
            "staff",
            "employees?",
            "people",
            "persons?",
            "customers?",
            "laptops?",
            "workstations?",
            "desktops?",
        ),
        "onprem.client.Users",
        EXTERNAL,
    ),
    IconRule(("mobile app", "ios", "android", "mobile"), "generic.device.Mobile", EXTERNAL),
    IconRule(("banks?", "banking"), "generic.place.Datacenter", EXTERNAL),
    IconRule(("api client", "client", "integration", "sdk", "cli"), "onprem.client.Client", EXTERNAL),
)


def icon_for(component: Component) -> str:
    """The icon key of `component`: the first rule matching its technology, else its name, else its kind."""
    rules = [rule for rule in ICON_RULES if component.kind in rule.kinds]
    for text in (component.technology, component.name):
        for rule in rules:
            if rule.pattern.search(text):
                return rule.key
    return kind_icon(component.kind)


def kind_icon(kind: ComponentKind | str) -> str:
    """The generic icon key of a component kind."""
    return KIND_FALLBACK[kind]


@cache
def icon_class(key: str) -> type[Node]:
    """The `diagrams` node class named by an icon key, e.g. `onprem.database.Postgresql`."""
    module_name, _, class_name = key.rpartition(".")
    module = importlib.import_module(f"diagrams.{module_name}")
    node_class: type[Node] = getattr(module, class_name)
    return node_class


def icon_path(key: str) -> Path:
    """The PNG file `diagrams` draws for an icon key."""
    node_class = icon_class(key)
    # The same computation as diagrams' Node._load_icon, so this is the very path Graphviz is given.
    base = Path(os.path.abspath(os.path.dirname(diagrams.__file__))).parent
    return base / str(node_class._icon_dir) / str(node_class._icon)
