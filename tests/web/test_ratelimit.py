"""Rate limits: the buckets themselves, then each limit as a person would hit it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from crowdsource.auth.tokens import COOKIE_NAME
from crowdsource.domain.models import Poll, User, Vote
from crowdsource.settings import Settings
from crowdsource.web.guards import ADDRESSES_KEPT, rate_limit_key
from crowdsource.web.ratelimit import ConnectionLimiter, Rate, RateLimiter
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest, vote
from tests.helpers.sockets import receive_until


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(burst=3, per_minute=60), clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # keys are independent
    clock.now += 1.0
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now += 100
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_a_bucket_idle_until_full_again_is_forgotten_and_behaves_as_new() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(burst=2, per_minute=60), clock)  # full again 2 s after empty
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    clock.now += 1.0
    assert limiter.allow("b")
    assert limiter.size() == 2
    clock.now += 1.5  # "a" idle 2.5 s: full, dropped; "b" idle 1.5 s: kept
    assert limiter.size() == 1
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    clock.now += 60
    assert limiter.size() == 0


def test_buckets_do_not_pile_up_over_a_term() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(burst=5, per_minute=120), clock)
    for n in range(100_000):  # a new address every 10 ms for 1,000 s
        clock.now += 0.01
        limiter.allow(n)
    assert limiter.size() <= limiter.refill_seconds / 0.01 + 1


def test_a_refusal_says_when_a_token_is_back() -> None:
    now = [0.0]
    limiter = RateLimiter(Rate(burst=2, per_minute=6), clock=lambda: now[0])  # one per 10 s
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.retry_after("a") == 10
    now[0] = 7.5
    assert limiter.retry_after("a") == 3
    assert limiter.retry_after("someone else") == 1


def test_connections_are_counted_while_open() -> None:
    sockets = ConnectionLimiter(2)
    assert sockets.acquire("x") and sockets.acquire("x") and not sockets.acquire("x")
    sockets.release("x")
    assert sockets.acquire("x")
    sockets.release("x")
    sockets.release("x")
    assert sockets.size() == 0


def test_a_class_of_300_behind_one_address_can_join_within_a_minute(client: TestClient) -> None:
    limiter = client.app.state.limits.sign_ins
    assert all(limiter.allow("10.0.0.1") for _ in range(300))


@pytest.fixture
def slow_poll(client_factory: Callable[..., TestClient]) -> tuple[TestClient, str, str]:
    """A voter allowed a burst of 5 and almost no refill, their poll and its first choice."""
    owner = client_factory(votes_per_second=0.01)
    sign_in_guest(owner)
    slug = create_poll(owner)
    first = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    return owner, slug, first


def test_fast_form_votes_get_slow_down_and_are_not_stored(
    slow_poll: tuple[TestClient, str, str],
) -> None:
    owner, slug, first = slow_poll
    statuses = [vote(owner, slug, first).status_code for _ in range(6)]
    assert statuses == [303] * 5 + [429]
    assert run(owner, Vote.all().count) == 1


def test_fast_socket_votes_get_a_slow_down_fragment(
    slow_poll: tuple[TestClient, str, str],
) -> None:
    owner, slug, first = slow_poll
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        for _ in range(5):
            ws.send_text(json.dumps({"choice": first}))
            receive_until(ws, "is in.")
        ws.send_text(json.dumps({"choice": first}))
        assert "going a little fast" in receive_until(ws, "vote-status-error")


def test_guest_sign_ins_are_limited_per_address(client_factory: Callable[..., TestClient]) -> None:
    client = client_factory(sign_ins_per_minute=2)
    token = csrf_of(client.get("/login").text)
    first = client.post(
        "/login/guest", data={"name": "A", "csrf_token": token}, follow_redirects=False
    )
    assert first.status_code == 303
    client.cookies.delete(COOKIE_NAME)
    token = csrf_of(client.get("/login").text)
    refused = client.post("/login/guest", data={"name": "B", "csrf_token": token})
    assert refused.status_code == 429 and "going a little fast" in refused.text
    assert COOKIE_NAME not in client.cookies
    assert run(client, User.all().count) == 1


def test_poll_creation_is_limited_per_address(client_factory: Callable[..., TestClient]) -> None:
    client = client_factory(polls_per_minute=2)
    sign_in_guest(client)
    create_poll(client)
    token = csrf_of(client.get("/").text)
    refused = client.post(
        "/polls",
        data={"question": "Half a lecture's worth", "choices": ["yes", "no"], "csrf_token": token},
    )
    assert refused.status_code == 429
    assert run(client, Poll.all().count) == 1
    # The form again, as typed, with how long to wait: nothing thrown away.
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60
    assert f"Wait {wait} second" in refused.text and "what you typed is kept" in refused.text
    assert "Half a lecture&#39;s worth</textarea>" in refused.text
    assert 'value="yes"' in refused.text and 'value="no"' in refused.text


def test_sockets_per_address_are_limited(client_factory: Callable[..., TestClient]) -> None:
    client = client_factory(sockets_per_address=1)
    sign_in_guest(client)
    slug = create_poll(client)
    with client.websocket_connect(f"/polls/{slug}/ws") as first:
        receive_until(first, 'id="results"')
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect(f"/polls/{slug}/ws") as second,
        ):
            second.receive_text()
        assert refused.value.code == 1013
    with client.websocket_connect(f"/polls/{slug}/ws") as again:  # released on close
        receive_until(again, 'id="results"')


def test_limits_count_the_proxy_s_client_header_when_configured(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(
        sign_ins_per_minute=2,
        client_ip_header="fly-client-ip",
        forwarded_allow_ips="testclient",  # the peer TestClient connects from: the proxy
    )

    def guest(address: str) -> int:
        return guest_from(client, {"Fly-Client-IP": address, "X-Forwarded-For": "1.2.3.4"})

    assert [guest("203.0.113.7"), guest("203.0.113.7")] == [303, 429]
    assert guest("198.51.100.9") == 303  # another classroom is another bucket


def test_the_default_socket_limit_fits_a_class_behind_one_nat(tmp_path: Path) -> None:
    """300 students with a phone and a laptop tab each, the teacher's projector and pages
    fit; one address cannot hold 1,000 sockets."""
    settings = Settings.load({"DATA_DIR": str(tmp_path)}, env_file=None)
    a_class = 300 * 2 + 3
    assert a_class < settings.sockets_per_address < 1000


def guest_from(client: TestClient, headers: dict[str, str]) -> int:
    """A guest signs in with these request headers: the status of the sign-in."""
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    form = {"name": "A", "csrf_token": token}
    response = client.post("/login/guest", data=form, headers=headers, follow_redirects=False)
    return response.status_code


def test_the_client_header_is_ignored_unless_the_peer_is_a_trusted_proxy(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(sign_ins_per_minute=2, client_ip_header="fly-client-ip")
    first, second = (guest_from(client, {"Fly-Client-IP": f"203.0.113.{n}"}) for n in (1, 2))
    assert (first, second) == (303, 429)  # a peer naming a new address each time: one bucket


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    client_factory: Callable[..., TestClient],
) -> None:
    untrusted = client_factory(sign_ins_per_minute=2)
    statuses = [guest_from(untrusted, {"X-Forwarded-For": f"203.0.113.{n}"}) for n in (1, 2)]
    assert statuses == [303, 429]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64(address: str, key: str) -> None:
    assert rate_limit_key(address) == key


def test_a_class_behind_one_address_has_it_parsed_once_and_the_keys_kept_are_bounded() -> None:
    rate_limit_key.cache_clear()
    assert {rate_limit_key("203.0.113.7") for _ in range(300)} == {"203.0.113.7"}
    assert rate_limit_key.cache_info().misses == 1
    for n in range(ADDRESSES_KEPT + 10):
        rate_limit_key(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
    assert rate_limit_key.cache_info().currsize == ADDRESSES_KEPT


def test_ipv6_clients_of_one_64_share_a_bucket(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(sign_ins_per_minute=2, forwarded_allow_ips="testclient")

    def guest(address: str) -> int:
        return guest_from(client, {"X-Forwarded-For": address})

    assert [guest("2001:db8:1:2::a"), guest("2001:db8:1:2:ffff:1:2:3")] == [303, 429]
    assert guest("2001:db8:1:3::a") == 303  # the next /64 is another site
