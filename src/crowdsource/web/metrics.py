"""This process's Prometheus metrics, in a registry of its own (one per app, so one per
process; with `--workers N` every worker counts for itself).

Events are counted by observers the composition (`app.py`) injects: the domain's commands
(`vote_stored`), the publisher (`published`, `publish_failed`, `outbox_overflowed`), the rate
limits (`refused`), the outage middleware (`database_unavailable`) and the broker's resync
callback (`reconnected`). What is a state rather than an event (sockets open, polls watched,
renders so far, the broker's subscription) is read when scraped, so it costs nothing between
scrapes. Nothing here runs per socket per message: at most once per vote or per publish."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Mapping
from typing import Protocol

from prometheus_client import Counter as PromCounter
from prometheus_client import (
    GCCollector,
    Info,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client import Histogram as PromHistogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.registry import Collector, CollectorRegistry

from crowdsource import __version__
from crowdsource.realtime.broker.protocol import ResyncListener

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the text format every Prometheus version reads
# From hearing of a change to starting its publish: nothing when idle, else the rest of the
# round in progress (natural batching) plus the wait behind other polls of the next one;
# seconds only when the database was away (retries count).
LAG_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Re-reading one poll (two queries), rendering once per audience, queueing to every socket.
FANOUT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
LIMITERS = ("votes", "sign_ins", "poll_creations", "sockets")  # web.ratelimit.Limits' fields
TRANSPORTS = ("http", "websocket")


class SocketGroups(Protocol):
    """What the scrape reads of the hub."""

    def groups(self) -> list[int]: ...
    def count(self, group: int) -> int: ...


class LiveCollector(Collector):
    """Read at scrape time: the hub's sockets, polls and rooms, renders by kind, and (with Redis)
    whether the broker is subscribed."""

    def __init__(self, hub: SocketGroups, renders: Mapping[str, int], broker: object) -> None:
        self.hub = hub
        self.renders = renders
        self.broker = broker

    def collect(self) -> Iterable[Metric]:
        groups = self.hub.groups()
        yield GaugeMetricFamily(
            "crowdsource_sockets_open",
            "Live connections (WebSockets) open to this process.",
            value=sum(self.hub.count(group) for group in groups),
        )
        rooms = sum(isinstance(group, str) for group in groups)  # realtime.viewers.room_group
        yield GaugeMetricFamily(
            "crowdsource_polls_watched",
            "Polls with at least one live connection to this process.",
            value=len(groups) - rooms,
        )
        yield GaugeMetricFamily(
            "crowdsource_rooms_watched",
            "Rooms with at least one live connection to this process.",
            value=rooms,
        )
        renders = CounterMetricFamily(
            "crowdsource_renders",
            "Fragments rendered by the publisher, by kind (one render serves many sockets).",
            labels=["kind"],
        )
        for kind, count in sorted(self.renders.items()):
            renders.add_metric([kind], count)
        yield renders
        subscribed = getattr(self.broker, "subscribed", None)  # only Redis has one
        if subscribed is not None:
            yield GaugeMetricFamily(
                "crowdsource_broker_subscribed",
                "1 while this process hears changes through Redis pub/sub, else 0.",
                value=1 if subscribed else 0,
            )


class Metrics:
    """The registry and the observers that feed it. Build one per app."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        Info("crowdsource_build", "The running version.", registry=registry).info(
            {"version": __version__}
        )
        self._votes = PromCounter(
            "crowdsource_votes_stored",
            "Votes committed (a change of mind counts again).",
            registry=registry,
        )
        self._lag = PromHistogram(
            "crowdsource_publish_lag_seconds",
            "From hearing that a poll changed to starting its publish.",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self._fanout = PromHistogram(
            "crowdsource_fanout_seconds",
            "One poll's publish: re-read, render per audience, queue to every local socket.",
            buckets=FANOUT_BUCKETS,
            registry=registry,
        )
        self._publish_failures = PromCounter(
            "crowdsource_publish_failures",
            "Publishes that raised (the database away, mostly) and were retried.",
            registry=registry,
        )
        self._overflows = PromCounter(
            "crowdsource_outbox_overflows",
            "Sockets that fell behind: queued updates dropped for one full-state resync.",
            registry=registry,
        )
        self._reconnects = PromCounter(
            "crowdsource_broker_reconnects",
            "Times the Redis listener subscribed again after losing its connection.",
            registry=registry,
        )
        self._refusals = PromCounter(
            "crowdsource_rate_limit_refusals",
            "Requests, frames and connections refused by a rate limit, by limiter.",
            ["limiter"],
            registry=registry,
        )
        self._outages = PromCounter(
            "crowdsource_database_unavailable",
            "Requests (http) and handshakes (websocket) answered 503/1013: database away.",
            ["transport"],
            registry=registry,
        )
        for limiter in LIMITERS:  # every series exists from the start, at 0
            self._refusals.labels(limiter)
        for transport in TRANSPORTS:
            self._outages.labels(transport)

    def watch(self, hub: SocketGroups, renders: Tally[str], broker: object) -> None:
        """Read these at every scrape (the app's hub, publisher renders, broker)."""
        self.registry.register(LiveCollector(hub, renders, broker))

    def exposition(self) -> bytes:
        """Everything, in Prometheus' text format."""
        return generate_latest(self.registry)

    # -- the observers ---------------------------------------------------------------------

    def vote_stored(self) -> None:
        self._votes.inc()

    def published(self, lag: float, fanout: float) -> None:
        self._lag.observe(lag)
        self._fanout.observe(fanout)

    def publish_failed(self) -> None:
        self._publish_failures.inc()

    def outbox_overflowed(self) -> None:
        self._overflows.inc()

    def refused(self, limiter: str) -> None:
        self._refusals.labels(limiter).inc()

    def database_unavailable(self, transport: str) -> None:
        self._outages.labels(transport).inc()

    def reconnected(self, resync: ResyncListener) -> ResyncListener:
        """`resync`, counting each call: the broker resyncs exactly after a reconnect."""

        async def counted() -> None:
            self._reconnects.inc()
            await resync()

        return counted
